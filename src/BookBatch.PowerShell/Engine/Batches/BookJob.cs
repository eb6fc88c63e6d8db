using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// One book in flight in a batch: its lease, its run folder, one attempt of a stage at a time, and its ledger
    /// writes (through <see cref="BookRecords"/>) when it starts and when it ends; a cut-off publication is settled by
    /// its <see cref="PublicationRecovery"/>. The scheduler (<see cref="BatchRunner"/>) decides when each attempt runs
    /// and keeps where the book is in its life (<see cref="BookInFlight"/>); see docs/ARCHITECTURE.md.
    /// </summary>
    internal sealed class BookJob : IDisposable
    {
        private readonly BatchContext _context;
        private readonly List<string> _stagesRun = new();
        private readonly Random _jitter;
        private IHeldBook? _lease;
        private string? _note;
        private PublicationRecovery? _recovery;

        public BookJob(BatchContext context, PlannedBook planned)
        {
            _context = context;
            Planned = planned;
            _jitter = new Random(unchecked(Environment.TickCount * 31 + planned.Index));
        }

        public PlannedBook Planned { get; }

        /// <summary>Cancelled when the store knows the book's hold was lost (<see cref="IHeldBook.Lost"/>): its stages are stopped.</summary>
        public CancellationToken HoldLost => _lease?.Lost ?? CancellationToken.None;
        public RunFolder? Folder { get; private set; }

        /// <summary>The live batch that held the book when this one tried for it (its lease was refused), if one was seen.</summary>
        public LeaseHolder? HeldBy { get; set; }
        public DateTimeOffset Started { get; private set; }

        /// <summary>
        /// Tries to take the book's lease, once: false while someone else holds it (another batch, or someone merely
        /// looking for an instant, which the scheduler tries again at a later turn).
        /// </summary>
        public bool TryLease()
        {
            _lease ??= _context.Coordination.TryHoldBook(Planned.Book, _context.BatchId);
            return _lease != null;
        }

        /// <summary>
        /// With the book's lease (when <see cref="TryLease"/> got it), records it as processing with its run folder (a new one, unless it resumes one
        /// that is still there). Returns a result instead when another batch holds the book or has finished it since
        /// the plan.
        /// </summary>
        /// <remarks>The start is written together with the ends of books that finished before it (see <see cref="BookRecords"/>).</remarks>
        public BookBatchResult? Begin()
        {
            Started = _context.Clock.Now;
            if (_lease is null)
            {
                if (HeldBy != null) return Skipped(SkipReason.InProgress, "in progress in another batch: " + HeldBy);
                var hold = _context.Coordination.Holds(_context.Settings.Stages)(Planned.Book, Planned.Status.RunFolder);
                return Skipped(hold?.Action == BookAction.Review ? SkipReason.Review : SkipReason.InProgress, hold?.Reason ?? "in progress in another batch");
            }
            // Read again under the lease: the plan may be old, and another batch may have finished the book.
            var entry = _context.Records.Find(Planned.Book);
            if (entry?.State == BookState.Done && !_context.Options.Force)
                return Result(BookOutcome.Skipped, SkipReasons.CompletedSinceThePlanText, null, entry.YouTubeUrl, entry.ShortUrl, SkipReason.CompletedSinceThePlan);

            if (entry?.State == BookState.Processing && !string.IsNullOrEmpty(entry.Review))
                return Skipped(SkipReason.Review, SkipReasons.Review(Planned.Book.Title, entry.Review!, entry.LastError));
            try
            {
                var early = OpenFolder(entry);
                if (early != null) return early;
            }
            catch (Exception e) when (e is RunSummaryCorruptException or RunFolderIOException or System.IO.IOException or UnauthorizedAccessException)
            {
                // This book's run folder cannot be used: an error of this book alone; the batch goes on with the next one.
                Folder?.Dispose();
                Folder = null;
                var error = e is RunSummaryCorruptException or RunFolderIOException ? e
                    : RunFolderIOException.From(_context.Workspace.RunFolderPath(entry?.RunFolder) ?? _context.Workspace.RunsPath, e);
                _context.Observer.BookError(Planned, error);
                return Result(BookOutcome.Failed, null, error.Message);
            }

            var folderName = Folder!.Name;
            _recovery = new PublicationRecovery(_context, Planned, Folder);
            try { _context.Records.Start(_lease, folderName); }
            catch (BookHoldLostException e) { return Lost(e); }
            _context.Observer.BookStarted(Planned, Folder.FullPath, _note);
            if (_note != null) _context.Observer.Note($"'{Planned.Book}': {_note}.");
            return null;
        }

        // The book's run folder: the one it resumes, when it is still there, else a new one. Returns a result instead
        // when a stage process a dead batch left still runs in it. Throws when the folder cannot be read or written.
        private BookBatchResult? OpenFolder(LedgerEntry? entry)
        {
            var names = _context.Settings.Stages.Select(s => s.Name).ToList();
            if (entry?.State == BookState.Processing && !(Planned.Action == BookAction.Process && Planned.Status.Status == BookState.Done))
            {
                Folder = RunFolder.Open(_context.Workspace, entry.RunFolder, names);
                if (Folder is null)
                    _note = entry.RunFolder is null
                        ? "it had no run folder; started a new one"
                        : $"its run folder '{entry.RunFolder}' was gone; started a new one";
                else if (LeftRunning(Folder.Details) is { } running)
                {
                    // A batch whose host died left this stage running: nothing of the book runs until it is gone.
                    Folder.Dispose();
                    Folder = null;
                    return Skipped(SkipReason.InProgress, "in progress: " + running);
                }
                else Folder.CloseCutOff();
            }
            Folder ??= RunFolder.Create(_context.Workspace, Planned.Book, names, DateTime.Now);
            return null;
        }

        // What a dead holder left running of the book: a stage process here, or one on another server whose watchdog has
        // not recorded it gone while its holder's lease and the watchdog's time have not passed (docs/DECISIONS.md).
        private string? LeftRunning(RunDetails details)
        {
            if (details.LiveAttempt() is var (stage, attempt, process)) return attempt.DescribeLeftover(stage.Name, process);
            if (details.ElsewhereAttempt() is not var (elsewhere, cutOff) || _lease!.ElsewhereUntil is not DateTimeOffset until) return null;
            if (_context.Clock.Now >= until) return null;
            return $"stage '{elsewhere.Name}' of batch {cutOff.Batch} may still run at {cutOff.Place} (its batch lost the book); " +
                   $"it is taken up once that server's stage watchdog records it ended, at the latest at {until.ToLocalTime():HH:mm:ss}";
        }

        /// <summary>The stage at an index of the pipeline.</summary>
        public StageSettings Stage(int index) => _context.Settings.Stages[index];

        /// <summary>The index of the first stage from <paramref name="from"/> on that has not succeeded; the stage count when none is left.</summary>
        public int NextStage(int from)
        {
            var stages = _context.Settings.Stages;
            var i = from;
            while (i < stages.Count && Folder!.Succeeded(stages[i].Name)) i++;
            return i;
        }

        /// <summary>Runs one attempt of a stage: see <see cref="StageAttempt.RunAsync"/>.</summary>
        public Task<StageOutcome> RunAttemptAsync(StageSettings stage, int stageNumber, CancellationToken cancellation,
            Action<StageAttemptMark> processLaunching, Action<ProcessIdentity> processStarted, Action processEnded)
        {
            return new StageAttempt(_context, Planned, Folder!, _recovery!, _lease!, NextStage, Ran)
                .RunAsync(stage, stageNumber, cancellation, processLaunching, processStarted, processEnded);
        }

        // A stage this batch ran (not one that had published before a crash): the book's result names it.
        private void Ran(string stage)
        {
            if (!_stagesRun.Contains(stage)) _stagesRun.Add(stage);
        }

        /// <summary>
        /// The batch was stopped during a stage of the book. A publishing stage stopped before it reported a URL may
        /// have published: without a verify command to ask, the book waits for the operator (Review).
        /// </summary>
        public BookBatchResult Interrupted(StageSettings stage)
        {
            if (_recovery?.StoppedInDoubt(stage) is not { } doubt)
                return Skipped(SkipReason.Interrupted, $"{SkipReasons.InterruptedText} during stage '{stage.Name}'");
            return doubt.Verifiable ? Skipped(SkipReason.AwaitsVerify, SkipReasons.AwaitsVerify(doubt.What)) : Review(stage, doubt.What);
        }

        /// <summary>
        /// The book waits for the operator: the ledger says which stage is in doubt and why, so that every later plan
        /// shows Review from one read of the database.
        /// </summary>
        public BookBatchResult Review(StageSettings stage, string why)
        {
            try { _context.Records.Review(_lease!, stage.Name, why); }
            catch (BookHoldLostException e) { return Lost(e); }
            return Skipped(SkipReason.Review, SkipReasons.Review(Planned.Book.Title, stage.Name, why));
        }

        /// <summary>
        /// Every stage succeeded, but none reported a <c>youtube_url</c> while the settings require one (by default, a
        /// pipeline with a publishing stage): the book is not silently done without its video. It waits for the
        /// operator (Review) and a warning says so. Null when the book may be done.
        /// </summary>
        public BookBatchResult? WithoutRequiredUrl() =>
            _recovery!.MissingRequiredUrl() is { } missing ? Review(missing.Stage, missing.Why) : null;

        /// <summary>The jitter factor of the next back-off, in [0.5, 1.5).</summary>
        public double Jitter() => 0.5 + _jitter.NextDouble();

        /// <summary>
        /// Every stage succeeded: the book is done, with the URLs its stages reported. Queues its end for the batch's
        /// next ledger write (see <see cref="BookRecords"/>) and returns the result to report once that write is done.
        /// </summary>
        public BookBatchResult Succeed()
        {
            var outputs = Folder!.Details.Stages.Where(s => s.Outputs != null).SelectMany(s => s.Outputs!).ToList();
            string? Output(string key) => outputs.LastOrDefault(o => o.Key == key && !string.IsNullOrEmpty(o.Value)).Value;
            var youtube = Output("youtube_url");
            var shortUrl = Output("short_url");
            try { _context.Records.Done(_lease!, youtube, shortUrl, Folder!.Name); }
            catch (BookHoldLostException e) { return Lost(e); }
            return Result(Planned.Action == BookAction.Resume ? BookOutcome.Resumed : BookOutcome.Success, _note, null, youtube, shortUrl);
        }

        /// <summary>The book's run folder could not be read or written during a stage: an error of this book; the batch goes on.</summary>
        public BookBatchResult FolderFailed(RunFolderIOException error)
        {
            _context.Observer.BookError(Planned, error);
            return Stop(error.Message);
        }

        /// <summary>
        /// The book stops at a stage: it failed or it timed out (Failed), or it is held for <paramref name="held"/>, e.g.
        /// the stage's quota (Skipped).
        /// </summary>
        public BookBatchResult Stop(string message, SkipReason held = SkipReason.None)
        {
            try { _context.Records.Stop(_lease!, message); }
            catch (BookHoldLostException e) { return Lost(e); }
            return held == SkipReason.None ? Result(BookOutcome.Failed, _note, message) : Skipped(held, message);
        }

        /// <summary>
        /// The store refused a write: the book's hold ran out while it ran (a freeze or a network cut longer than the
        /// lease) and another batch may work on it now, so this batch records nothing more for it and reports it held elsewhere.
        /// </summary>
        public BookBatchResult Lost(BookHoldLostException e)
        {
            _context.Observer.BookError(Planned, e);
            return Skipped(SkipReason.InProgress, e.Message);
        }

        /// <summary>The book is Skipped, for <paramref name="why"/>, told as <paramref name="reason"/>.</summary>
        public BookBatchResult Skipped(SkipReason why, string? reason) => Result(BookOutcome.Skipped, reason, null, skipReason: why);

        public BookBatchResult Result(BookOutcome outcome, string? reason, string? error, string? youtube = null, string? shortUrl = null,
            SkipReason skipReason = SkipReason.None) =>
            new(_context.BatchId, Planned.Index, Planned.Book.Title, Planned.Book.Author, outcome, reason, error,
                youtube ?? (outcome == BookOutcome.Skipped ? Planned.Status.YouTubeUrl : null),
                shortUrl ?? (outcome == BookOutcome.Skipped ? Planned.Status.ShortUrl : null),
                Folder?.Name ?? Planned.Status.RunFolder, _stagesRun.ToArray(),
                Started == default ? _context.Clock.Now : Started, _context.Clock.Now, skipReason);

        /// <summary>Gives the book's lease up: after the ledger's last write and the run folder's, so the next holder reads the end.</summary>
        public void Dispose()
        {
            // Written already unless the batch is stopping because of a failure; a write that failed is that failure.
            Folder?.Dispose();
            _lease?.Dispose();
        }
    }
}
