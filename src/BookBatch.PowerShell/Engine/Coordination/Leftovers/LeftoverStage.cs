using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Leftovers
{
    /// <summary>
    /// A stage process that a batch left running when its host was killed outright (on Linux and macOS the stage runs
    /// on: docs/ARCHITECTURE.md, "Resume"), found in the book's run folder, so that the operator can end it on purpose
    /// instead of waiting for it (Stop-BookStage), in either store. Only what a dead batch left here, on this server, is
    /// ended: a live batch holds its book and is stopped in its own console, and another server's process is ended there. Ending it leaves the book as if the stage's process had ended by
    /// itself: its attempt is recorded as cut off, and a publishing stage is then in doubt, which the next batch
    /// settles (verify) or shows (Review).
    /// </summary>
    internal sealed class LeftoverStage : ILeftoverStage
    {
        /// <summary>How long <see cref="End"/> waits for the process tree to be gone.</summary>
        public static readonly TimeSpan EndWait = TimeSpan.FromSeconds(10);

        // Someone merely looking (a plan, Get-BookStatus) holds the book's lock for an instant: try again for so long.
        private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(1);

        private readonly Workspace _workspace;
        private readonly BookHolding _holding;
        private readonly IReadOnlyList<string> _stageNames;
        private readonly StageSettings? _settings;
        private readonly bool _settingsKnown;

        private LeftoverStage(Workspace workspace, BookHolding holding, LedgerEntry entry, string stage, AttemptDetails attempt, ProcessIdentity process,
            IReadOnlyList<StageSettings>? stages, IReadOnlyList<string> stageNames)
        {
            _workspace = workspace;
            _holding = holding;
            _stageNames = stageNames;
            _settingsKnown = stages != null;
            _settings = stages?.FirstOrDefault(s => string.Equals(s.Name, stage, StringComparison.OrdinalIgnoreCase));
            Book = entry.Book;
            RunFolder = entry.RunFolder!;
            Stage = stage;
            Attempt = attempt.Attempt;
            Batch = attempt.Batch;
            Started = attempt.Started;
            Process = process;
        }

        /// <summary>The book, as recorded.</summary>
        public Book Book { get; }

        /// <summary>Its run folder's name under <c>runs/</c>.</summary>
        public string RunFolder { get; }

        /// <summary>The stage whose process runs on.</summary>
        public string Stage { get; }

        /// <summary>The attempt's number.</summary>
        public int Attempt { get; }

        /// <summary>The dead batch that started it.</summary>
        public string Batch { get; }

        /// <summary>When the attempt started.</summary>
        public DateTimeOffset Started { get; }

        /// <summary>The stage's process, as its attempt recorded it.</summary>
        public ProcessIdentity Process { get; }

        /// <summary>
        /// True when the stage publishes; also when bookbatch.json cannot be read to say (the safe side: a stage that might
        /// have published is treated as in doubt).
        /// </summary>
        public bool Publishing => _settings?.Publishing ?? !_settingsKnown;

        /// <summary>What ending it does, as ShouldProcess shows it.</summary>
        public string Action => $"End stage '{Stage}' (process {Process.Pid}, left running by batch {Batch})";

        /// <summary>
        /// Finds the stage process a dead batch left running for a recorded book. Throws <see cref="BookNotFoundException"/>
        /// or <see cref="BookAmbiguousException"/> for a book the ledger does not name once, <see cref="BookInProgressException"/>
        /// when a live batch holds the book, and <see cref="BookStageNotRunningException"/> when nothing runs for it.
        /// </summary>
        /// <param name="workspace">The workspace.</param>
        /// <param name="holding">How its store tells and takes a book's holder.</param>
        /// <param name="ledger">The ledger as just read.</param>
        /// <param name="book">The book as the operator named it.</param>
        /// <param name="stages">The pipeline's stages (which publish, which have a verify command); null when bookbatch.json cannot be read.</param>
        /// <param name="command">The command that asks, for messages.</param>
        public static LeftoverStage Find(Workspace workspace, BookHolding holding, BookLedger ledger, Book book, IReadOnlyList<StageSettings>? stages, string command)
        {
            if (workspace is null) throw new ArgumentNullException(nameof(workspace));
            if (ledger is null) throw new ArgumentNullException(nameof(ledger));
            var entry = ledger.FindExisting(book);
            if (holding.HolderOf(entry.Book) is LeaseHolder holder)
                throw LiveBatch(entry.Book, holder, command);
            var path = workspace.RunFolderPath(entry.RunFolder);
            var details = path is null ? null : Runs.RunFolder.ReadDetails(path);
            if (details?.LiveAttempt() is not var (stage, attempt, process))
                throw new BookStageNotRunningException(entry.Book, NotRunningHere(entry, path, details, command));
            var names = stages?.Select(s => s.Name).ToList() ?? details.Stages.Select(s => s.Name).ToList();
            return new LeftoverStage(workspace, holding, entry, stage.Name, attempt, process, stages, names);
        }

        // Why nothing runs here to be ended: no run folder, nothing running, or a process at another server (its own
        // Stop-BookStage ends it there; left alone, its watchdog, or its holder's lease, frees the book).
        private static string NotRunningHere(LedgerEntry entry, string? path, RunDetails? details, string command)
        {
            if (path is null) return "it has no run folder";
            if (details?.ElsewhereAttempt() is var (stage, attempt))
                return $"stage '{stage.Name}' (attempt {attempt.Attempt}, batch {attempt.Batch}) was started at another server ({attempt.Place}), " +
                       $"whose processes cannot be ended from here: run {command} on that server";
            return $"no stage process of its run folder '{entry.RunFolder}' still runs";
        }

        /// <summary>
        /// Ends the stage's process tree and records its attempt's end, holding the book's lease meanwhile so that no batch
        /// starts it; waits up to <see cref="EndWait"/> for the process to be gone. Throws <see cref="BookInProgressException"/>
        /// when a batch took the book since <see cref="Find"/>, <see cref="BookStageNotEndedException"/> when the process
        /// cannot be ended or outlives the wait (nothing is recorded then), and <see cref="OperationCanceledException"/>
        /// when <paramref name="cancellation"/> stops the wait.
        /// </summary>
        /// <param name="holderName">Who holds the book meanwhile, as its holder file says (the command's name).</param>
        /// <param name="cancellation">Stops the wait (Ctrl+C).</param>
        public StageEnded End(string holderName, CancellationToken cancellation)
        {
            using var lease = TakeLease(holderName, cancellation);
            // Read again under the lease: a batch may have recorded its end meanwhile (it had ended and was met).
            using var folder = Runs.RunFolder.Open(_workspace, RunFolder, _stageNames)
                ?? throw new BookStageNotRunningException(Book, $"its run folder '{RunFolder}' is gone");
            var recorded = folder.Details.Stage(Stage).Attempts.FirstOrDefault(a => a.Attempt == Attempt && a.Ended is null);
            if (recorded is null)
                throw new BookStageNotRunningException(Book, $"the end of stage '{Stage}' (attempt {Attempt}) was recorded meanwhile");

            var wasRunning = EndTree();
            var waited = Stopwatch.StartNew();
            while (Process.IsAlive())
            {
                if (waited.Elapsed >= EndWait)
                    throw new BookStageNotEndedException(Book, Stage, Process.Pid, $"it did not end within {EndWait.TotalSeconds:0} s of being killed", timedOut: true);
                if (cancellation.WaitHandle.WaitOne(50)) cancellation.ThrowIfCancellationRequested();
            }
            folder.CloseCutOff();
            return new StageEnded(wasRunning, AfterEnd(folder));
        }

        // The stage's tree, if its process is still the one recorded; false when it had ended on its own. The identity is
        // checked right before the kill: a process that got the id since is never touched.
        private bool EndTree()
        {
            System.Diagnostics.Process process;
            try { process = System.Diagnostics.Process.GetProcessById(Process.Pid); }
            catch (ArgumentException) { return false; } // no process has the id any more
            using (process)
            {
                if (!Process.IsAlive()) return false;
                try { ProcessTree.Kill(process); }
                catch (System.ComponentModel.Win32Exception e) { throw NotEnded(e.Message); }
                catch (TargetInvocationException e) when (e.InnerException is System.ComponentModel.Win32Exception or NotSupportedException)
                {
                    throw NotEnded(e.InnerException!.Message);
                }
                catch (NotSupportedException e) { throw NotEnded(e.Message); }
                return true;
            }
        }

        private BookStageNotEndedException NotEnded(string why) =>
            new(Book, Stage, Process.Pid, "it could not be ended: " + why, timedOut: false);

        private IDisposable TakeLease(string holderName, CancellationToken cancellation)
        {
            var waited = Stopwatch.StartNew();
            while (true)
            {
                var lease = _holding.TryHoldKeepingTrail(Book, holderName);
                if (lease != null) return lease;
                if (waited.Elapsed > LeaseWait)
                {
                    // Another batch or cmdlet took the book since Find: nothing is ended under its feet.
                    var holder = _holding.HolderOf(Book)?.ToString() ?? "another process";
                    throw BookInProgressException.WithMessage(Book.ToString(),
                        $"'{Book}' is held by {holder} just now, so nothing was ended. Run {holderName} again once it is free (Get-BookStatus shows when).");
                }
                if (cancellation.WaitHandle.WaitOne(20)) cancellation.ThrowIfCancellationRequested();
            }
        }

        private AfterStageEnded AfterEnd(Runs.RunFolder folder)
        {
            if (!Publishing) return AfterStageEnded.RunsAgain;
            // As the next batch will read it (PublicationRecovery): only an http(s) URL is a publication on record.
            if (StageOutputs.PublishedUrl(folder.ReadOutputs(Stage)) != null) return AfterStageEnded.RecordedFromOutputs;
            return _settings?.Verify != null ? AfterStageEnded.AskVerify : AfterStageEnded.Review;
        }

        private static BookInProgressException LiveBatch(Book book, LeaseHolder holder, string command) =>
            BookInProgressException.WithMessage(book.ToString(),
                $"'{book}' is in progress in another batch: {holder}. That batch is alive, so {command} leaves it alone: it ends only a stage " +
                "that a batch whose host is gone left running. Stop the batch with Ctrl+C in its own console (a scheduled task: end the task); " +
                "it ends its stages itself. Nothing was changed.");
    }
}
