using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// One book's run folder: <c>summary.json</c> (the seed's stage map), <c>bookbatch-run.jsonl</c> (details),
    /// <c>logs/&lt;stage&gt;.log</c> and <c>outputs/&lt;stage&gt;.json</c>. The details get a line per attempt's start
    /// and end; <c>summary.json</c> is rewritten atomically when an attempt ends, while the next stage starts
    /// (<see cref="Written"/>).
    /// </summary>
    public sealed class RunFolder : IDisposable
    {
        private FileStream? _detailsFile;

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
                var details = new RunDetails { Title = book.Title, Author = book.Author, Created = new DateTimeOffset(now) };
                if (!RunDetailsLog.TryCreate(path, details)) continue;
                Directory.CreateDirectory(Path.Combine(path, "outputs"));
                var folder = new RunFolder(name, path, RunSummary.Read(path), details);
                folder.Summary.EnsureStages(stages);
                foreach (var stage in stages) details.Stage(stage);
                folder.WriteSummaryBehind();
                return folder;
            }
        }

        /// <summary>Opens an existing run folder named in the ledger; null when the name is unsafe or the folder is gone.</summary>
        public static RunFolder? Open(Workspace workspace, string? name, IEnumerable<string> stages)
        {
            var path = workspace.RunFolderPath(name);
            if (path is null || !Directory.Exists(path)) return null;
            var details = ReadDetails(path) ?? new RunDetails();
            // A folder the seed or an older BookBatch made gets the event file now, starting with what it had.
            RunDetailsLog.TryCreate(path, details);
            Directory.CreateDirectory(Path.Combine(path, "outputs"));
            var folder = new RunFolder(name!, path, RunSummary.Read(path), details);
            folder.Summary.EnsureStages(stages);
            return folder;
        }

        /// <summary>Reads the details (<c>bookbatch-run.jsonl</c>, or an older BookBatch's <c>bookbatch-run.json</c>); null when there are none (a folder the seed made).</summary>
        public static RunDetails? ReadDetails(string folder) => RunDetailsLog.Read(folder);

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
            var started = new AttemptDetails { Attempt = attempt, Batch = batch, Started = now };
            Details.Stage(stage).Attempts.Add(started);
            RunDetailsLog.Started(DetailsFile, stage, started);
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
                RunDetailsLog.Ended(DetailsFile, stage, attempt, outputs);
            }
            if (outputs != null) details.Outputs = outputs;
            Summary.Set(stage, outcome.Result switch
            {
                StageResult.Succeeded => StageStateText.Success,
                StageResult.Canceled or StageResult.Deferred => null, // interrupted or waiting: not done, not failed
                _ => StageStateText.Failed,
            });
            WriteSummaryBehind();
        }

        /// <summary>Marks a stage done without running it (its outputs show it already published).</summary>
        public void Recovered(string stage, Dictionary<string, string?> outputs)
        {
            Details.Stage(stage).Outputs = outputs;
            RunDetailsLog.Recovered(DetailsFile, stage, outputs);
            Summary.Set(stage, StageStateText.Success);
            WriteSummaryBehind();
        }

        // Kept open from the first change until the folder is closed: a line is then one small write.
        private FileStream DetailsFile => _detailsFile ??= RunDetailsLog.OpenForAppend(FullPath);

        /// <summary>Waits for the summary's last write and closes the details file (a write that failed is not thrown again here).</summary>
        public void Dispose()
        {
            try { _written.Wait(); }
            catch (AggregateException) { }
            _detailsFile?.Dispose();
            _detailsFile = null;
        }

        /// <summary>
        /// The writes of <c>summary.json</c> queued so far, done in order on the pool; awaiting it rethrows a write that
        /// failed. A book's job awaits it before it records the end of the next attempt and before the book ends.
        /// </summary>
        public Task Written => _written;

        private Task _written = Task.CompletedTask;

        // The summary as it stands now is written while the next stage starts: a new file costs far more than starting
        // a process's bookkeeping, and the next stage does not need it. Each write is a whole, atomic snapshot, and they
        // land in order, so a crash can only lose the newest states: those stages run again, as DESIGN 4 says of a
        // stage that was running.
        private void WriteSummaryBehind()
        {
            var content = Summary.ToBytes();
            var path = Summary.Path;
            _written = _written.ContinueWith(previous =>
            {
                previous.GetAwaiter().GetResult(); // a failed write fails every later one, so it is not lost
                LedgerStore.WriteAtomically(path, content, backupPath: null, durable: false);
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
