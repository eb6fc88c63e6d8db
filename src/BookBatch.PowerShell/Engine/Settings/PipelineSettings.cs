using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace BookBatch.Engine.Settings
{
    /// <summary>How a stage is started.</summary>
    public enum StageKind
    {
        /// <summary>An executable with an argument array, never through a shell.</summary>
        Command,
        /// <summary>A PowerShell script file, run in a runspace of its own.</summary>
        Script,
    }

    /// <summary>One stage of the pipeline, as <c>bookbatch.json</c> describes it.</summary>
    public sealed class StageSettings
    {
        internal StageSettings(string name, StageKind kind, string target, IReadOnlyList<string> arguments, TimeSpan timeout,
            int retries, TimeSpan retryDelay, int concurrency, IReadOnlyList<int>? retryExitCodes = null, StageRate? rate = null,
            int deferExitCode = DefaultDeferExitCode, TimeSpan maxWait = default, TimeSpan retryMaxDelay = default,
            bool? publishing = null, StageSettings? verify = null)
        {
            Publishing = publishing ?? string.Equals(name, DefaultPublishingStage, StringComparison.OrdinalIgnoreCase);
            Verify = verify;
            RetryExitCodes = retryExitCodes;
            Rate = rate;
            DeferExitCode = deferExitCode;
            MaxWait = maxWait;
            RetryMaxDelay = retryMaxDelay == default ? TimeSpan.FromMinutes(5) : retryMaxDelay;
            Name = name;
            Kind = kind;
            Target = target;
            Arguments = arguments;
            Timeout = timeout;
            Retries = retries;
            RetryDelay = retryDelay;
            Concurrency = concurrency;
        }

        /// <summary>The stage's name: a key of <c>summary.json</c>.</summary>
        public string Name { get; }
        /// <summary>Command or Script.</summary>
        public StageKind Kind { get; }
        /// <summary>The executable (Command) or the script file, resolved against the workspace (Script).</summary>
        public string Target { get; }
        /// <summary>The arguments, each one whole argument; placeholders such as <c>{title}</c> are filled per book.</summary>
        public IReadOnlyList<string> Arguments { get; }
        /// <summary>How long one attempt may run before its process tree is ended.</summary>
        public TimeSpan Timeout { get; }
        /// <summary>How many times a failed attempt is tried again.</summary>
        public int Retries { get; }
        /// <summary>The first back-off before a retry; it doubles with each retry (with jitter).</summary>
        public TimeSpan RetryDelay { get; }
        /// <summary>How many books may run this stage at once (0: no limit).</summary>
        public int Concurrency { get; }
        /// <summary>The exit codes worth a retry; null: every failure (and every time-out) is.</summary>
        public IReadOnlyList<int>? RetryExitCodes { get; }
        /// <summary>The longest back-off before a retry.</summary>
        public TimeSpan RetryMaxDelay { get; }
        /// <summary>At most so many starts per window (the upload quota), or null.</summary>
        public StageRate? Rate { get; }
        /// <summary>The exit code by which a stage says "not now" (quota used up): the book waits, it has not failed.</summary>
        public int DeferExitCode { get; }
        /// <summary>How long a batch with nothing else to do waits for this stage's rate window to reopen.</summary>
        public TimeSpan MaxWait { get; }

        /// <summary>
        /// True for a stage whose effect outside the workspace must happen once (the upload): an attempt of it that was
        /// cut off without reporting a URL is never run again blindly (DESIGN 4).
        /// </summary>
        public bool Publishing { get; }

        /// <summary>
        /// The command that tells whether a cut-off attempt of this publishing stage published after all: exit 0 with a
        /// <c>youtube_url</c> in the outputs file = it did; exit 1 = it did not; anything else = nobody knows. Null: no
        /// verify command, so such a book goes to Review.
        /// </summary>
        public StageSettings? Verify { get; }

        /// <summary>The stage that is publishing unless bookbatch.json says otherwise.</summary>
        public const string DefaultPublishingStage = "upload";

        /// <summary>The verify command's answer that the stage did not publish.</summary>
        public const int VerifyNotPublishedExitCode = 1;

        /// <summary>The conventional "try again later" exit code (EX_TEMPFAIL).</summary>
        public const int DefaultDeferExitCode = 75;

        /// <summary>True when a failure with this exit code (null: time-out or no process) may be retried.</summary>
        public bool IsRetryable(int? exitCode) => RetryExitCodes is null || exitCode is null || RetryExitCodes.Contains(exitCode.Value);
    }

    /// <summary>A rate limit: at most <see cref="Starts"/> starts in any window of <see cref="Window"/>.</summary>
    public sealed class StageRate
    {
        internal StageRate(int starts, TimeSpan window)
        {
            Starts = starts;
            Window = window;
        }

        /// <summary>The most starts in one window.</summary>
        public int Starts { get; }
        /// <summary>The window's length.</summary>
        public TimeSpan Window { get; }
    }

    /// <summary>The workspace's <c>bookbatch.json</c>: the stages and the batch defaults.</summary>
    public sealed class PipelineSettings
    {
        /// <summary>The seed's per-book time-out: one hour.</summary>
        public static readonly TimeSpan DefaultBookTimeout = TimeSpan.FromHours(1);

        internal PipelineSettings(string path, IReadOnlyList<StageSettings> stages, string privacy, TimeSpan delay, TimeSpan bookTimeout, int throttleLimit,
            bool? requireUrl = null, NotificationSettings? notifications = null)
        {
            RequireUrl = requireUrl ?? stages.Any(s => s.Publishing);
            Notifications = notifications ?? NotificationSettings.None;
            Path = path;
            Stages = stages;
            Privacy = privacy;
            Delay = delay;
            BookTimeout = bookTimeout;
            ThrottleLimit = throttleLimit;
        }

        /// <summary>The settings file.</summary>
        public string Path { get; }
        /// <summary>The stages, in pipeline order.</summary>
        public IReadOnlyList<StageSettings> Stages { get; }
        /// <summary>The default privacy: public, unlisted or private.</summary>
        public string Privacy { get; }
        /// <summary>The default pause between starting two books.</summary>
        public TimeSpan Delay { get; }
        /// <summary>The default time-out for one book, all its stages together.</summary>
        public TimeSpan BookTimeout { get; }
        /// <summary>The default number of books in flight.</summary>
        public int ThrottleLimit { get; }

        /// <summary>
        /// True when a book that finished every stage must have a <c>youtube_url</c> from one of them to be done; without
        /// one it waits for the operator's word (Review). <c>requireUrl</c> in bookbatch.json; by default true for a
        /// pipeline with a publishing stage.
        /// </summary>
        public bool RequireUrl { get; }

        /// <summary>Who is told of a batch's end (the <c>notifications</c> section).</summary>
        public NotificationSettings Notifications { get; }

        /// <summary>The privacy values a batch accepts.</summary>
        public static readonly string[] PrivacyValues = { "public", "unlisted", "private" };

        /// <summary>Reads and checks the settings; every fault names the file, the key and what is wrong.</summary>
        public static PipelineSettings Load(string path, string workspaceRoot)
        {
            if (Directory.Exists(path))
                throw new SettingsInvalidException(path, "", "it is a folder, not a file; remove or rename the folder and write the settings file there (New-BookWorkspace -Force writes an example)");
            byte[]? bytes;
            try { bytes = Ledger.LedgerStore.ReadBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SettingsInvalidException(path, "", $"it cannot be read ({e.Message.TrimEnd('.')}); check that you may read it and that no other program holds it open");
            }
            if (bytes is null) throw new SettingsInvalidException(path, "", "the file does not exist; create a workspace with New-BookWorkspace, or write it");
            var utf8 = Ledger.TextBytes.ToUtf8(bytes);
            var invalid = Ledger.TextBytes.InvalidUtf8At(utf8, 0, utf8.Length);
            if (invalid >= 0)
            {
                var (line, column) = Ledger.TextBytes.Position(utf8, 0, invalid);
                throw new SettingsInvalidException(path, "", $"line {line}, column {column} has bytes that are not UTF-8 text; save the file as UTF-8");
            }
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(Ledger.TextBytes.Json(bytes), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new SettingsInvalidException(path, "", "it is not valid JSON at " + Ledger.JsonFaults.Describe(e) + "; fix the file, or write the example again with New-BookWorkspace -Force");
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new SettingsInvalidException(path, "", "it must be a JSON object");
                var reader = new SettingsReader(path);
                reader.KnownKeys(root, SettingsKeys.TopLevel, "");
                var privacy = reader.String(root, "privacy", "unlisted")!.ToLowerInvariant();
                if (Array.IndexOf(PrivacyValues, privacy) < 0)
                    throw new SettingsInvalidException(path, "privacy", $"'{privacy}' is not one of {string.Join(", ", PrivacyValues)}");
                var delay = reader.Seconds(root, "delaySeconds", 5, allowZero: true);
                var bookTimeout = reader.Seconds(root, "bookTimeoutSeconds", DefaultBookTimeout.TotalSeconds, allowZero: false);
                var throttle = reader.Integer(root, "throttleLimit", 1, min: 1, max: 64);
                if (!root.TryGetProperty("stages", out var stagesElement) || stagesElement.ValueKind != JsonValueKind.Array || stagesElement.GetArrayLength() == 0)
                    throw new SettingsInvalidException(path, "stages", "there must be a non-empty array of stages");
                var stages = new List<StageSettings>();
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var index = 0;
                foreach (var stage in stagesElement.EnumerateArray())
                {
                    var key = $"stages[{index++}]";
                    if (stage.ValueKind != JsonValueKind.Object) throw new SettingsInvalidException(path, key, "a stage must be an object");
                    reader.KnownKeys(stage, SettingsKeys.Stage, key);
                    var name = reader.String(stage, "name", null, key);
                    if (string.IsNullOrWhiteSpace(name))
                        throw new SettingsInvalidException(path, key + ".name", "a stage needs a name of letters, digits, '-' or '_'");
                    if (!IsStageName(name!))
                        throw new SettingsInvalidException(path, key + ".name", $"'{name}' is not a stage name: use letters, digits, '-' or '_' (at most 64)");
                    if (!names.Add(name!)) throw new SettingsInvalidException(path, key + ".name", $"the stage '{name}' is named twice");
                    var command = reader.String(stage, "command", null, key);
                    var script = reader.String(stage, "script", null, key);
                    if ((command is null) == (script is null))
                        throw new SettingsInvalidException(path, key, $"the stage '{name}' needs exactly one of \"command\" (an executable) or \"script\" (a .ps1 file)");
                    var arguments = reader.Strings(stage, "arguments", key, ArgumentsShape);
                    if (script != null && arguments.Count > 0)
                        throw new SettingsInvalidException(path, key + ".arguments", "a script stage takes no arguments: it gets the book as $BookBatch and as parameters");
                    for (var a = 0; a < arguments.Count; a++)
                        foreach (var unknown in BookBatch.Engine.Stages.Placeholders.Unknown(arguments[a]))
                            throw new SettingsInvalidException(path, $"{key}.arguments[{a}]",
                                $"uses the unknown placeholder {unknown}; the placeholders are {{{string.Join("}, {", BookBatch.Engine.Stages.Placeholders.Names)}}}");
                    string target;
                    if (script != null)
                    {
                        target = System.IO.Path.GetFullPath(System.IO.Path.Combine(workspaceRoot, script));
                        if (!IsInside(target, workspaceRoot))
                            throw new SettingsInvalidException(path, key + ".script",
                                $"names '{script}', which is outside the workspace '{System.IO.Path.GetFullPath(workspaceRoot)}'; a script stage must be a file inside the workspace (copy it there, e.g. to stages/)");
                        if (!File.Exists(target)) throw new SettingsInvalidException(path, key + ".script", $"the script '{target}' does not exist");
                    }
                    else target = command!;
                    StageRate? rate = null;
                    if (stage.TryGetProperty("rate", out var rateElement) && rateElement.ValueKind != JsonValueKind.Null)
                    {
                        if (rateElement.ValueKind != JsonValueKind.Object)
                            throw new SettingsInvalidException(path, key + ".rate", "must be an object such as {\"starts\": 6, \"perSeconds\": 86400}");
                        reader.KnownKeys(rateElement, SettingsKeys.Rate, key + ".rate");
                        rate = new StageRate(reader.Integer(rateElement, "starts", 0, min: 1, max: 100000, key + ".rate"),
                            reader.Seconds(rateElement, "perSeconds", 0, allowZero: false, key + ".rate"));
                    }
                    stages.Add(new StageSettings(name!, script != null ? StageKind.Script : StageKind.Command, target, arguments,
                        reader.Seconds(stage, "timeoutSeconds", 3600, allowZero: false, key),
                        reader.Integer(stage, "retries", 0, min: 0, max: 20, key),
                        reader.Seconds(stage, "retryDelaySeconds", 2, allowZero: true, key),
                        reader.Integer(stage, "concurrency", 0, min: 1, max: 64, key), // absent: no limit
                        reader.Integers(stage, "retryExitCodes", key),
                        rate,
                        reader.Integer(stage, "deferExitCode", StageSettings.DefaultDeferExitCode, min: 1, max: 255, key),
                        reader.Seconds(stage, "maxWaitSeconds", 0, allowZero: true, key),
                        reader.Seconds(stage, "retryMaxDelaySeconds", 300, allowZero: false, key),
                        reader.Boolean(stage, "publishing", key),
                        Verify(reader, path, stage, name!, key)));
                }
                return new PipelineSettings(path, stages, privacy, delay, bookTimeout, throttle, reader.Boolean(root, "requireUrl", ""),
                    NotificationSettings.Read(root, path));
            }
        }

        /// <summary>
        /// Refuses a pipeline whose command stage (or verify command) names an executable that cannot be found: a
        /// relative path with a folder is looked for in the workspace, a bare name on PATH. Checked before any work, so
        /// no book is half run for a typing mistake.
        /// </summary>
        public void CheckCommands(string workspaceRoot)
        {
            for (var i = 0; i < Stages.Count; i++)
            {
                var stage = Stages[i];
                foreach (var (command, key) in new[] { (stage.Kind == StageKind.Command ? stage.Target : null, $"stages[{i}].command"),
                             (stage.Verify?.Target, $"stages[{i}].verify.command") })
                {
                    if (command is null || BookBatch.Engine.Stages.CommandLine.CanFind(command, workspaceRoot)) continue;
                    throw new SettingsInvalidException(Path, key,
                        $"names '{command}', which is neither on PATH nor a file; install it, write its full path, or correct the name of stage '{stage.Name}'");
                }
            }
        }

        // "verify": {"command": ..., "arguments": [...], "timeoutSeconds": N}: a command run like the stage (same variables
        // and placeholders), never a shell.
        private static StageSettings? Verify(SettingsReader reader, string path, JsonElement stage, string name, string key)
        {
            if (!stage.TryGetProperty("verify", out var verify) || verify.ValueKind == JsonValueKind.Null) return null;
            var verifyKey = key + ".verify";
            if (verify.ValueKind != JsonValueKind.Object)
                throw new SettingsInvalidException(path, verifyKey, "must be an object such as {\"command\": \"python\", \"arguments\": [\"-m\", \"find_upload\", \"{idempotencyKey}\"]}");
            reader.KnownKeys(verify, SettingsKeys.Verify, verifyKey);
            var command = reader.String(verify, "command", null, verifyKey);
            if (string.IsNullOrWhiteSpace(command)) throw new SettingsInvalidException(path, verifyKey + ".command", "must name the executable that checks whether the stage published");
            var arguments = reader.Strings(verify, "arguments", verifyKey, ArgumentsShape);
            for (var a = 0; a < arguments.Count; a++)
                foreach (var unknown in BookBatch.Engine.Stages.Placeholders.Unknown(arguments[a]))
                    throw new SettingsInvalidException(path, $"{verifyKey}.arguments[{a}]",
                        $"uses the unknown placeholder {unknown}; the placeholders are {{{string.Join("}, {", BookBatch.Engine.Stages.Placeholders.Names)}}}");
            return new StageSettings(name, StageKind.Command, command!, arguments,
                reader.Seconds(verify, "timeoutSeconds", 300, allowZero: false, verifyKey), retries: 0, retryDelay: TimeSpan.Zero, concurrency: 0,
                publishing: false);
        }

        // True when the full path is the workspace folder's own or below it.
        private static bool IsInside(string fullPath, string workspaceRoot)
        {
            var root = System.IO.Path.GetFullPath(workspaceRoot).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)
                + System.IO.Path.DirectorySeparatorChar;
            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            return fullPath.StartsWith(root, comparison);
        }

        private const string ArgumentsShape = "an array of strings, one per argument";

        private static bool IsStageName(string name)
        {
            foreach (var c in name)
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_')) return false;
            return name.Length <= 64;
        }
    }

    /// <summary>
    /// The keys <c>bookbatch.json</c> knows, one table per level. A key not in its level's table is refused, naming the
    /// nearest known one: a new setting is added to its table here, and read in <see cref="PipelineSettings.Load"/>.
    /// </summary>
    public static class SettingsKeys
    {
        /// <summary>The keys of the top-level object.</summary>
        public static readonly IReadOnlyList<string> TopLevel = new[]
        {
            "$schema", "privacy", "delaySeconds", "bookTimeoutSeconds", "throttleLimit", "stages", "requireUrl", "notifications",
        };

        /// <summary>The keys of a stage (an element of <c>stages</c>).</summary>
        public static readonly IReadOnlyList<string> Stage = new[]
        {
            "name", "command", "script", "arguments", "timeoutSeconds", "retries", "retryDelaySeconds", "retryMaxDelaySeconds",
            "retryExitCodes", "concurrency", "rate", "deferExitCode", "maxWaitSeconds", "publishing", "verify",
        };

        /// <summary>The keys of a stage's <c>rate</c>.</summary>
        public static readonly IReadOnlyList<string> Rate = new[] { "starts", "perSeconds" };

        /// <summary>The keys of a publishing stage's <c>verify</c>.</summary>
        public static readonly IReadOnlyList<string> Verify = new[] { "command", "arguments", "timeoutSeconds" };

        /// <summary>
        /// Refuses a key its level does not know (a misspelt "retries" would otherwise be silently ignored), naming the
        /// nearest known one; <paramref name="parent"/> is the level's key ("" at the top).
        /// </summary>
        public static void RefuseUnknown(JsonElement obj, IReadOnlyList<string> known, string path, string parent)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (known.Contains(property.Name, StringComparer.Ordinal)) continue;
                var nearest = Nearest(property.Name, known);
                throw new SettingsInvalidException(path, parent.Length == 0 ? property.Name : parent + "." + property.Name, nearest != null
                    ? $"is not a setting; did you mean \"{nearest}\"? (the keys here are {string.Join(", ", known)})"
                    : $"is not a setting; the keys here are {string.Join(", ", known)}");
            }
        }

        /// <summary>The known key nearest to a misspelt one (edit distance, ignoring case), or null when none is near.</summary>
        public static string? Nearest(string key, IEnumerable<string> known)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in known)
            {
                var distance = EditDistance(key.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
            }
            return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
        }

        // Levenshtein distance: insertions, deletions and substitutions.
        private static int EditDistance(string a, string b)
        {
            var row = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) row[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }

    /// <summary><c>bookbatch.json</c> is missing or wrong; no work was started.</summary>
    public sealed class SettingsInvalidException : Exception
    {
        /// <summary>Creates the error for a file, a key (empty for the whole file) and what is wrong.</summary>
        public SettingsInvalidException(string path, string key, string problem)
            : base(key.Length == 0
                ? $"The settings '{path}' cannot be used: {problem}. No book was started."
                : $"The settings '{path}' cannot be used: \"{key}\" {problem}. No book was started.")
        {
            Path = path;
            Key = key;
        }

        /// <summary>The settings file.</summary>
        public string Path { get; }
        /// <summary>The key at fault, as a path such as <c>stages[2].timeoutSeconds</c>.</summary>
        public string Key { get; }
    }
}
