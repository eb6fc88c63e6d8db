using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Runs
{
    /// <summary>A book's run folder and the state of each of its stages (Get-BookRun).</summary>
    public sealed class BookRun
    {
        private BookRun(LedgerEntry entry, string? path, bool exists, IReadOnlyList<StageRun> stages, string? nextStage)
        {
            Title = entry.Book.Title;
            Author = entry.Book.Author;
            Status = entry.State;
            RunFolder = entry.RunFolder;
            Path = path;
            Exists = exists;
            Stages = stages;
            NextStage = nextStage;
        }

        /// <summary>The title.</summary>
        public string Title { get; }
        /// <summary>The author.</summary>
        public string? Author { get; }
        /// <summary>The book's status in the ledger.</summary>
        public BookState Status { get; }
        /// <summary>The run folder's name under <c>runs/</c>, as the ledger records it; null when the book has none.</summary>
        public string? RunFolder { get; }
        /// <summary>The run folder's full path; null when the ledger names none (or names an unsafe one).</summary>
        public string? Path { get; }
        /// <summary>True when the run folder is on disk.</summary>
        public bool Exists { get; }
        /// <summary>Each stage, in pipeline order (stages only the run knows follow).</summary>
        public IReadOnlyList<StageRun> Stages { get; }
        /// <summary>
        /// The stage a resume starts at: the first stage in pipeline order that has not succeeded; null when all have.
        /// For a book whose run folder is missing, the first stage of the pipeline (a new folder starts there), unless
        /// the book is done.
        /// </summary>
        public string? NextStage { get; }

        /// <summary>The book as a book-list line.</summary>
        public string Book => Author is null ? Title : Title + " | " + Author;

        /// <summary>The stage that failed (the first in pipeline order), or null: what an operator looks at first.</summary>
        public string? FailedStage => Failed?.Name;

        /// <summary>Why the failed stage failed: its last attempt's error, with the last meaningful line of its error output.</summary>
        public string? Error => Failed?.LastError;

        /// <summary>The failed stage's log file (see it with Get-BookRun -Log).</summary>
        public string? LogPath => Failed?.LogPath;

        private StageRun? Failed => Stages.FirstOrDefault(s => s.State == StageState.Failed);

        /// <summary>
        /// The stage whose log an operator most likely wants: the one named, else the failed stage, else the stage
        /// that ran last. Throws <see cref="StageNotFoundException"/> for a name the run does not have.
        /// </summary>
        public StageRun? LogStage(string? name)
        {
            if (name != null)
                return Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new StageNotFoundException(name, Path ?? RunFolder ?? Title, Stages.Select(s => s.Name));
            return Failed ?? Stages.Where(s => s.LastAttemptStarted != null).OrderBy(s => s.LastAttemptStarted).LastOrDefault();
        }

        /// <summary>
        /// Reads a book's run: its <c>summary.json</c>, <c>bookbatch-run.jsonl</c> (missing in folders the old system
        /// made: their stages show 0 attempts) and logs. <paramref name="pipeline"/> gives the stage order of
        /// <c>bookbatch.json</c>; without it, the summary's own order is used. Throws
        /// <see cref="RunSummaryCorruptException"/> for a summary that cannot be read. <paramref name="holderOf"/> says who
        /// holds a book now (the workspace's coordination).
        /// </summary>
        public static BookRun From(Workspace workspace, LedgerEntry entry, IReadOnlyList<string>? pipeline, Func<Book, LeaseHolder?> holderOf)
        {
            if (workspace is null) throw new ArgumentNullException(nameof(workspace));
            if (entry is null) throw new ArgumentNullException(nameof(entry));
            var path = workspace.RunFolderPath(entry.RunFolder);
            if (path is null || !Directory.Exists(path))
            {
                var first = entry.State == BookState.Done ? null : pipeline?.FirstOrDefault();
                return new BookRun(entry, path, exists: false, Array.Empty<StageRun>(), first);
            }

            var summary = RunSummary.Read(path);
            // Qualified: this class has a RunFolder property of its own.
            var details = BookBatch.Engine.Runs.RunFolder.ReadDetails(path);
            details?.ApplyTo(summary); // states a batch recorded after its last write of summary.json
            // Pipeline order first, then what only this run knows (a stage since removed from bookbatch.json).
            var names = new List<string>();
            void AddName(string name)
            {
                if (!names.Exists(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))) names.Add(name);
            }
            foreach (var name in pipeline ?? Array.Empty<string>()) AddName(name);
            foreach (var name in summary.Stages) AddName(name);
            foreach (var stage in details?.Stages ?? new List<StageDetails>()) AddName(stage.Name);

            // Whether a batch holds the book is asked only for an attempt without an end, and once: the probe takes
            // the book's lease for an instant, which a batch starting that very instant would see as held.
            LeaseHolder? holder = null;
            var probed = false;
            LeaseHolder? Holder()
            {
                if (!probed) holder = holderOf(entry.Book);
                probed = true;
                return holder;
            }
            var stages = names.Select(name => StageOf(path, name, summary, Find(details, name), Holder)).ToList();
            // The batch runs only the pipeline's stages, so only they decide where it resumes.
            var owed = pipeline is null ? stages : stages.Where(s => pipeline.Contains(s.Name, StringComparer.OrdinalIgnoreCase));
            var next = owed.FirstOrDefault(s => s.State != StageState.Succeeded)?.Name;
            return new BookRun(entry, path, exists: true, stages, next);
        }

        // A holder file that could not be read names no batch: the book is held all the same.
        private static bool IsHeldBy(LeaseHolder? holder, string batch) =>
            holder != null && (string.IsNullOrEmpty(holder.Batch) || string.Equals(holder.Batch, batch, StringComparison.Ordinal));

        private static StageDetails? Find(RunDetails? details, string name) =>
            details?.Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

        private static StageRun StageOf(string folder, string name, RunSummary summary, StageDetails? details, Func<LeaseHolder?> holder)
        {
            var last = details?.Attempts.LastOrDefault();
            var text = summary.StateOf(name);
            StageState state;
            if (string.Equals(text, StageStateText.Success, StringComparison.OrdinalIgnoreCase)) state = StageState.Succeeded;
            else if (string.Equals(text, StageStateText.Failed, StringComparison.OrdinalIgnoreCase)) state = StageState.Failed;
            // The summary changes only when an attempt ends. An attempt without an end runs now if its batch still
            // holds the book (the OS frees the hold when a batch dies) or its process still runs; otherwise it, like
            // one stopped by Ctrl+C (which leaves the summary at null), was cut off.
            // A killed host's stage process may run on after it: it runs as long as that process (or its token's) does.
            else if (last != null && last.Ended is null)
                state = IsHeldBy(holder(), last.Batch) || last.RunningProcess() != null ? StageState.Running : StageState.Interrupted;
            else if (last != null && string.Equals(last.Result, nameof(StageResult.Canceled), StringComparison.OrdinalIgnoreCase)) state = StageState.Interrupted;
            else state = StageState.NotRun;

            // Stage names come from summary.json too, which any tool may have written: never a path out of logs/.
            var log = RunFolderName.IsPlainName(name) ? Runs.RunFolder.LogPath(folder, name) : null;
            return new StageRun(name, state, details?.Attempts.Count ?? 0, last?.Started,
                last?.Ended is DateTimeOffset ended ? ended - last.Started : null,
                last?.ExitCode, state == StageState.Succeeded ? null : last?.Error,
                log != null && File.Exists(log) ? log : null, details?.Outputs);
        }
    }
}
