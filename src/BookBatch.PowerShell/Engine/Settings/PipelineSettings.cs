using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Settings
{
    /// <summary>The workspace's <c>bookbatch.json</c>: the stages and the batch defaults.</summary>
    public sealed class PipelineSettings
    {
        /// <summary>The default per-book time-out: one hour, as the old system had.</summary>
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
            var reader = new SettingsReader(path);
            using (var doc = Parse(reader))
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw reader.Invalid("", "it must be a JSON object");
                reader.KnownKeys(root, SettingsKeys.TopLevel, "");
                var privacy = reader.String(root, "privacy", "unlisted")!.ToLowerInvariant();
                if (Array.IndexOf(PrivacyValues, privacy) < 0)
                    throw reader.Invalid("privacy", $"'{privacy}' is not one of {string.Join(", ", PrivacyValues)}");
                var delay = reader.Seconds(root, "delaySeconds", 5, allowZero: true);
                var bookTimeout = reader.Seconds(root, "bookTimeoutSeconds", DefaultBookTimeout.TotalSeconds, allowZero: false);
                var throttle = reader.Integer(root, "throttleLimit", 1, min: 1, max: 64);
                var stages = StagesSection.Read(reader, root, workspaceRoot);
                return new PipelineSettings(path, stages, privacy, delay, bookTimeout, throttle, reader.Boolean(root, "requireUrl", ""),
                    NotificationSettings.Read(root, path));
            }
        }

        // The file as a JSON document: a folder, an unreadable or missing file, bytes that are not UTF-8, JSON that does
        // not parse are each said in the operator's words.
        internal static JsonDocument Parse(SettingsReader reader)
        {
            var path = reader.Path;
            if (Directory.Exists(path))
                throw reader.Invalid("", "it is a folder, not a file; remove or rename the folder and write the settings file there (New-BookWorkspace -Force writes an example)");
            byte[]? bytes;
            try { bytes = AtomicFile.ReadBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw reader.Invalid("", $"it cannot be read ({e.Message.TrimEnd('.')}); check that you may read it and that no other program holds it open");
            }
            if (bytes is null) throw reader.Invalid("", "the file does not exist; create a workspace with New-BookWorkspace, or write it");
            var utf8 = Storage.TextBytes.ToUtf8(bytes);
            var invalid = Storage.TextBytes.InvalidUtf8At(utf8, 0, utf8.Length);
            if (invalid >= 0)
            {
                var (line, column) = Storage.TextBytes.Position(utf8, 0, invalid);
                throw reader.Invalid("", $"line {line}, column {column} has bytes that are not UTF-8 text; save the file as UTF-8");
            }
            try
            {
                return JsonDocument.Parse(Storage.TextBytes.Json(bytes), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw reader.Invalid("", "it is not valid JSON at " + Storage.JsonFaults.Describe(e) + "; fix the file, or write the example again with New-BookWorkspace -Force");
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
                    if (command is null || BookBatch.Engine.Processes.CommandLine.CanFind(command, workspaceRoot)) continue;
                    throw new SettingsReader(Path).Invalid(key,
                        $"names '{command}', which is neither on PATH nor a file; install it, write its full path, or correct the name of stage '{stage.Name}'");
                }
            }
        }
    }
}
