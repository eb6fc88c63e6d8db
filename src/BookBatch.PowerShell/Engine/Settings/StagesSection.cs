using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// Reads the <c>stages</c> section of <c>bookbatch.json</c> through the one <see cref="SettingsReader"/>: each
    /// stage, its rate and its verify command; every fault names its key and what to write instead.
    /// </summary>
    internal static class StagesSection
    {
        private const string ArgumentsShape = "an array of strings, one per argument";

        /// <summary>The stages, in pipeline order.</summary>
        public static List<StageSettings> Read(SettingsReader reader, JsonElement root, string workspaceRoot)
        {
            if (!root.TryGetProperty("stages", out var stagesElement) || stagesElement.ValueKind != JsonValueKind.Array || stagesElement.GetArrayLength() == 0)
                throw reader.Invalid("stages", "there must be a non-empty array of stages");
            var stages = new List<StageSettings>();
            var keyOfName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var element in stagesElement.EnumerateArray())
            {
                var key = $"stages[{index++}]";
                reader.RequireObject(element, key, "{\"name\": \"search\", \"command\": \"python\", \"arguments\": [\"search.py\", \"{title}\"]}");
                reader.KnownKeys(element, SettingsKeys.Stage, key);
                var stage = Stage(reader, element, key, workspaceRoot);
                if (keyOfName.TryGetValue(stage.Name, out var first))
                    throw reader.Invalid(key + ".name", $"'{stage.Name}' is the name of {first} already; give each stage its own name " +
                        "(a run folder keeps one state per stage name), or remove the stage that is there twice");
                keyOfName.Add(stage.Name, key);
                stages.Add(stage);
            }
            return stages;
        }

        private static StageSettings Stage(SettingsReader reader, JsonElement stage, string key, string workspaceRoot)
        {
            var name = Name(reader, stage, key);
            var command = reader.String(stage, "command", null, key);
            var script = reader.String(stage, "script", null, key);
            if ((command is null) == (script is null))
                throw reader.Invalid(key, $"the stage '{name}' needs exactly one of \"command\" (an executable) or \"script\" (a .ps1 file)");
            var arguments = reader.Strings(stage, "arguments", key, ArgumentsShape);
            if (script != null && arguments.Count > 0)
                throw reader.Invalid(key + ".arguments", "a script stage takes no arguments: it gets the book as $BookBatch and as parameters");
            reader.KnownPlaceholders(arguments, key);
            return new StageSettings(name, script != null ? StageKind.Script : StageKind.Command,
                script != null ? ScriptPath(reader, script, name, key + ".script", workspaceRoot) : command!, arguments,
                reader.Seconds(stage, "timeoutSeconds", 3600, allowZero: false, key),
                reader.Integer(stage, "retries", 0, min: 0, max: 20, key),
                reader.Seconds(stage, "retryDelaySeconds", 2, allowZero: true, key),
                reader.Integer(stage, "concurrency", 0, min: 1, max: 64, key), // absent: no limit
                reader.Integers(stage, "retryExitCodes", key),
                Rate(reader, stage, key),
                reader.Integer(stage, "deferExitCode", StageSettings.DefaultDeferExitCode, min: 1, max: 255, key),
                reader.Seconds(stage, "maxWaitSeconds", 0, allowZero: true, key),
                reader.Seconds(stage, "retryMaxDelaySeconds", 300, allowZero: false, key),
                reader.Boolean(stage, "publishing", key),
                Verify(reader, stage, name, key));
        }

        private static string Name(SettingsReader reader, JsonElement stage, string key)
        {
            var name = reader.String(stage, "name", null, key);
            if (string.IsNullOrWhiteSpace(name))
                throw reader.Invalid(key + ".name", "a stage needs a name of letters, digits, '-' or '_'");
            if (!IsStageName(name!))
                throw reader.Invalid(key + ".name", $"'{name}' is not a stage name: use letters, digits, '-' or '_' (at most 64)");
            return name!;
        }

        // A script stage's file: inside the workspace, and there.
        private static string ScriptPath(SettingsReader reader, string script, string name, string key, string workspaceRoot)
        {
            var root = Path.GetFullPath(workspaceRoot);
            var target = Path.GetFullPath(Path.Combine(workspaceRoot, script));
            if (!IsInside(target, workspaceRoot))
                throw reader.Invalid(key, $"names '{script}', which is outside the workspace '{root}'; a script stage must be a file inside the workspace (copy it there, e.g. to stages/)");
            if (!File.Exists(target))
                throw reader.Invalid(key, $"names '{script}', but there is no file '{target}'; write the script of stage '{name}' there, " +
                    $"or correct the path (it is relative to the workspace '{root}')");
            return target;
        }

        private static StageRate? Rate(SettingsReader reader, JsonElement stage, string key)
        {
            if (!stage.TryGetProperty("rate", out var rate) || rate.ValueKind == JsonValueKind.Null) return null;
            reader.RequireObject(rate, key + ".rate", "{\"starts\": 6, \"perSeconds\": 86400}");
            reader.KnownKeys(rate, SettingsKeys.Rate, key + ".rate");
            return new StageRate(reader.Integer(rate, "starts", 0, min: 1, max: 100000, key + ".rate"),
                reader.Seconds(rate, "perSeconds", 0, allowZero: false, key + ".rate"));
        }

        // "verify": {"command": ..., "arguments": [...], "timeoutSeconds": N}: a command run like the stage (same variables
        // and placeholders), never a shell.
        private static StageSettings? Verify(SettingsReader reader, JsonElement stage, string name, string key)
        {
            if (!stage.TryGetProperty("verify", out var verify) || verify.ValueKind == JsonValueKind.Null) return null;
            var verifyKey = key + ".verify";
            reader.RequireObject(verify, verifyKey, "{\"command\": \"python\", \"arguments\": [\"-m\", \"find_upload\", \"{idempotencyKey}\"]}");
            reader.KnownKeys(verify, SettingsKeys.Verify, verifyKey);
            var command = reader.String(verify, "command", null, verifyKey);
            if (string.IsNullOrWhiteSpace(command)) throw reader.Invalid(verifyKey + ".command", "must name the executable that checks whether the stage published");
            var arguments = reader.Strings(verify, "arguments", verifyKey, ArgumentsShape);
            reader.KnownPlaceholders(arguments, verifyKey);
            return new StageSettings(name, StageKind.Command, command!, arguments,
                reader.Seconds(verify, "timeoutSeconds", 300, allowZero: false, verifyKey), retries: 0, retryDelay: TimeSpan.Zero, concurrency: 0,
                publishing: false);
        }

        // True when the full path is the workspace folder's own or below it.
        private static bool IsInside(string fullPath, string workspaceRoot)
        {
            var root = Path.GetFullPath(workspaceRoot).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var comparison = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            return fullPath.StartsWith(root, comparison);
        }

        private static bool IsStageName(string name)
        {
            foreach (var c in name)
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_')) return false;
            return name.Length <= 64;
        }
    }
}
