using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// One book's run folder: <c>summary.json</c> (the seed's stage map), <c>bookbatch-run.json</c> (details),
    /// <c>logs/&lt;stage&gt;.log</c> and <c>outputs/&lt;stage&gt;.json</c>. Both JSON files are rewritten atomically
    /// on every stage change.
    /// </summary>
    public sealed class RunFolder
    {
        private RunFolder(string name, string path, RunSummary summary, RunDetails details)
        {
            Name = name;
            FullPath = path;
            Summary = summary;
            Details = details;
        }

        /// <summary>The folder's name under <c>runs/</c>, as the ledger records it.</summary>
        public string Name { get; }
        /// <summary>The folder's full path.</summary>
        public string FullPath { get; }
        /// <summary>The seed's stage map.</summary>
        public RunSummary Summary { get; }
        /// <summary>BookBatch's details.</summary>
        public RunDetails Details { get; }

        /// <summary>The log file of a stage.</summary>
        public string LogPath(string stage) => Path.Combine(FullPath, "logs", stage + ".log");

        /// <summary>The outputs file of a stage.</summary>
        public string OutputsPath(string stage) => Path.Combine(FullPath, "outputs", stage + ".json");

        /// <summary>True when <c>summary.json</c> says the stage succeeded.</summary>
        public bool Succeeded(string stage) => Summary.StateOf(stage) == StageStateText.Success;

        /// <summary>Makes a new, uniquely named run folder for a book, with every stage not run yet.</summary>
        public static RunFolder Create(Workspace workspace, Book book, IEnumerable<string> stages, DateTime now)
        {
            Directory.CreateDirectory(workspace.RunsPath);
            for (var suffix = 1; ; suffix++)
            {
                var name = RunFolderNaming.Name(book, now, suffix);
                var path = Path.Combine(workspace.RunsPath, name);
                Directory.CreateDirectory(path);
                try
                {
                    // Creating the details file is the claim: two batches starting the same title in the same
                    // second cannot both get it.
                    using (new FileStream(Path.Combine(path, RunDetails.FileName), FileMode.CreateNew, FileAccess.Write)) { }
                }
                catch (IOException) when (File.Exists(Path.Combine(path, RunDetails.FileName)))
                {
                    continue;
                }
                var details = new RunDetails { Title = book.Title, Author = book.Author, Created = new DateTimeOffset(now) };
                var folder = new RunFolder(name, path, RunSummary.Read(path), details);
                folder.Summary.EnsureStages(stages);
                foreach (var stage in stages) details.Stage(stage);
                folder.Save();
                return folder;
            }
        }

        /// <summary>Opens an existing run folder named in the ledger; null when the name is unsafe or the folder is gone.</summary>
        public static RunFolder? Open(Workspace workspace, string? name, IEnumerable<string> stages)
        {
            var path = workspace.RunFolderPath(name);
            if (path is null || !Directory.Exists(path)) return null;
            var details = ReadDetails(path) ?? new RunDetails();
            var folder = new RunFolder(name!, path, RunSummary.Read(path), details);
            folder.Summary.EnsureStages(stages);
            return folder;
        }

        /// <summary>Reads the details file; null when it is missing or empty (a folder the seed made).</summary>
        public static RunDetails? ReadDetails(string folder)
        {
            var bytes = LedgerStore.ReadBytes(Path.Combine(folder, RunDetails.FileName));
            if (bytes is null || bytes.Length == 0) return null;
            try { return JsonSerializer.Deserialize<RunDetails>(TextBytes.Json(bytes).Span, RunDetails.Json); }
            catch (JsonException) { return null; }
        }

        /// <summary>What a stage reported in its outputs file; null when it wrote none (or nothing readable).</summary>
        public Dictionary<string, string?>? ReadOutputs(string stage)
        {
            var bytes = LedgerStore.ReadBytes(OutputsPath(stage));
            if (bytes is null) return null;
            try
            {
                using var doc = JsonDocument.Parse(TextBytes.Json(bytes));
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
                var outputs = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in doc.RootElement.EnumerateObject())
                    outputs[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                return outputs;
            }
            catch (JsonException) { return null; }
        }

        /// <summary>Records that an attempt started (the summary is not touched: a crash now leaves the stage not done).</summary>
        public void AttemptStarted(string stage, int attempt, string batch, DateTimeOffset now)
        {
            Details.Stage(stage).Attempts.Add(new AttemptDetails { Attempt = attempt, Batch = batch, Started = now });
            SaveDetails();
        }

        /// <summary>Records how an attempt ended; a success also records the stage's outputs.</summary>
        public void AttemptEnded(string stage, StageOutcome outcome, DateTimeOffset now, Dictionary<string, string?>? outputs)
        {
            var details = Details.Stage(stage);
            var attempt = details.Attempts.LastOrDefault();
            if (attempt != null)
            {
                attempt.Ended = now;
                attempt.Result = outcome.Result.ToString();
                attempt.ExitCode = outcome.ExitCode;
                attempt.Error = outcome.Error;
            }
            if (outputs != null) details.Outputs = outputs;
            Summary.Set(stage, outcome.Result switch
            {
                StageResult.Succeeded => StageStateText.Success,
                StageResult.Canceled or StageResult.Deferred => null, // interrupted or waiting: not done, not failed
                _ => StageStateText.Failed,
            });
            Save();
        }

        /// <summary>Marks a stage done without running it (its outputs show it already published).</summary>
        public void Recovered(string stage, Dictionary<string, string?> outputs)
        {
            Details.Stage(stage).Outputs = outputs;
            Summary.Set(stage, StageStateText.Success);
            Save();
        }

        private void Save()
        {
            SaveDetails();
            Summary.Write();
        }

        private void SaveDetails() =>
            LedgerStore.WriteAtomically(Path.Combine(FullPath, RunDetails.FileName),
                JsonSerializer.SerializeToUtf8Bytes(Details, RunDetails.Json), backupPath: null, durable: false);
    }
}
