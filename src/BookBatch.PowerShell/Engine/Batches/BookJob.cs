using System;
using System.Collections.Generic;
using System.Globalization;
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
    /// One book's work in a batch: its lease, its run folder, one attempt of a stage at a time, and the ledger
    /// written when it starts and when it ends (DESIGN 3-5). The scheduler decides when each attempt runs.
    /// </summary>
    internal sealed class BookJob : IDisposable
    {
        private static readonly TimeSpan LeaseWait = TimeSpan.FromMilliseconds(300);
        /// <summary>How long a stage that died of a signal waits for the batch's stop before it counts as failed.</summary>
        private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);
        /// <summary>STATUS_CONTROL_C_EXIT: a Windows process ended by Ctrl+C.</summary>
        private const int ControlCExit = unchecked((int)0xC000013A);
        private readonly BatchContext _context;
        private readonly List<string> _stagesRun = new();
        private readonly Random _jitter;
        private IDisposable? _lease;
        private string? _note;

        public BookJob(BatchContext context, PlannedBook planned)
        {
            _context = context;
            Planned = planned;
            _jitter = new Random(unchecked(Environment.TickCount * 31 + planned.Index));
        }

        public PlannedBook Planned { get; }
        public RunFolder? Folder { get; private set; }
        public DateTimeOffset Started { get; private set; }

        /// <summary>
        /// Takes the book's lease and records it as processing with its run folder (a new one, unless it resumes one
        /// that is still there). Returns a result instead when another batch holds the book or has finished it since
        /// the plan.
        /// </summary>
        /// <remarks>The start is written together with the ends of books that finished before it (see <see cref="BookRecords"/>).</remarks>
        public BookBatchResult? Begin()
        {
            Started = DateTimeOffset.Now;
            _lease = AcquireLease();
            if (_lease is null)
            {
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
            _context.Records.Start(Planned.Book, folderName);
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
                else if (Folder.Details.LiveAttempt() is var (stage, attempt, process))
                {
                    // A batch whose host died left this stage running: nothing of the book runs until it is gone.
                    Folder.Dispose();
                    Folder = null;
                    return Skipped(SkipReason.InProgress, "in progress: " + attempt.DescribeLeftover(stage.Name, process));
                }
                else Folder.CloseCutOff();
            }
            Folder ??= RunFolder.Create(_context.Workspace, Planned.Book, names, DateTime.Now);
            return null;
        }

        private IDisposable? AcquireLease()
        {
            // Someone merely looking (a plan, Get-BookStatus) holds the lock for an instant: try again briefly.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var lease = _context.Coordination.TryHoldBook(Planned.Book, _context.BatchId);
                if (lease != null || waited.Elapsed > LeaseWait) return lease;
                Thread.Sleep(20);
            }
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

        /// <summary>
        /// Runs one attempt of a stage. A stage whose outputs file already reports a published URL is not run again
        /// (it published before a crash). The stage's defer exit code makes the outcome Deferred.
        /// </summary>
        /// <param name="stage">The stage.</param>
        /// <param name="stageNumber">Its 1-based place in the pipeline (for progress).</param>
        /// <param name="cancellation">Stops the attempt (Ctrl+C, the book's time-out).</param>
        /// <param name="processLaunching">Called with the attempt's token just before its process starts (its place records it).</param>
        /// <param name="processStarted">Called with the stage's process once it runs (its place records it).</param>
        /// <param name="processEnded">Called once, as soon as the stage's process has ended (before its last output is
        /// collected and its end recorded), so the scheduler can hand the stage's slot to the next book meanwhile.</param>
        /// <exception cref="RunFolderIOException">The run folder could not be read or written: an error of this book alone.</exception>
        public async Task<StageOutcome> RunAttemptAsync(StageSettings stage, int stageNumber, CancellationToken cancellation,
            Action<string> processLaunching, Action<ProcessIdentity> processStarted, Action processEnded)
        {
            var ended = 0;
            void EndedOnce()
            {
                if (Interlocked.Exchange(ref ended, 1) == 0) processEnded();
            }
            try
            {
                return await AttemptAsync(stage, stageNumber, cancellation, processLaunching, processStarted, EndedOnce).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                EndedOnce();
                throw RunFolderIOException.From(Folder!.FullPath, e);
            }
        }

        private async Task<StageOutcome> AttemptAsync(StageSettings stage, int stageNumber, CancellationToken cancellation,
            Action<string> processLaunching, Action<ProcessIdentity> processStarted, Action processEnded)
        {
            var folder = Folder!;
            // What earlier attempts recorded is written while this one runs, and must be on disk before its end is.
            var recordedBefore = folder.Written;
            var published = await RecoverPublishedAsync(stage, processEnded, "already published {0}; it is not run again").ConfigureAwait(false);
            if (published != null) return published;
            if (stage.Publishing && folder.Details.Stage(stage.Name).LastAttemptInDoubt)
            {
                var doubt = await SettleDoubtAsync(stage, cancellation).ConfigureAwait(false);
                if (doubt != null)
                {
                    processEnded();
                    return doubt;
                }
                published = await RecoverPublishedAsync(stage, processEnded,
                    "published {0} before it was cut off (its verify command says so); it is not run again").ConfigureAwait(false);
                if (published != null) return published;
            }

            var attempt = folder.Details.Stage(stage.Name).Attempts.Count + 1;
            var started = DateTimeOffset.Now; // the attempt's start is when BookBatch began it, its process's start included
            if (!_stagesRun.Contains(stage.Name)) _stagesRun.Add(stage.Name);
            // A process stage's attempt is recorded with its token just before its process starts, and the process once
            // it runs, so that no process of it runs unrecorded whenever the host dies (DESIGN 4); a script stage's (which
            // runs in this process) once it runs; a stage that could not start is recorded below, before its end.
            var launched = false;
            var invocation = new StageInvocation(stage, Planned.Book, _context.Workspace.Root, folder.FullPath,
                _context.Options.Privacy, attempt, folder.LogPath(stage.Name), folder.OutputsPath(stage.Name), process =>
                {
                    if (process is ProcessIdentity running)
                    {
                        if (launched) folder.AttemptProcess(stage.Name, running);
                        processStarted(running);
                    }
                    if (!launched) folder.AttemptStarted(stage.Name, attempt, _context.BatchId, started, process);
                    _context.Observer.StageStarted(Planned, stage.Name, stageNumber, _context.Settings.Stages.Count, attempt);
                }, processEnded, token =>
                {
                    launched = true;
                    processLaunching(token);
                    folder.AttemptStarted(stage.Name, attempt, _context.BatchId, started, null, token);
                });
            StageOutcome outcome;
            try
            {
                outcome = await _context.Runners(stage).RunAsync(invocation, cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = new StageOutcome(StageResult.Failed, null, $"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                invocation.NotifyEnded();
            }
            invocation.NotifyStarted();
            // Ctrl+C reaches the stage with the host: a stage that died of a signal a moment before the batch was told to
            // stop was stopped by that interruption, not failed. Its end waits a moment for the stop before it is recorded.
            if (outcome.Result == StageResult.Failed && !cancellation.IsCancellationRequested && EndedBySignal(outcome.ExitCode))
                await Task.WhenAny(Task.Delay(InterruptGrace, cancellation)).ConfigureAwait(false);
            if (outcome.Result == StageResult.Failed && cancellation.IsCancellationRequested)
                outcome = new StageOutcome(StageResult.Canceled, outcome.ExitCode, outcome.Error);
            var outputs = outcome.Result == StageResult.Succeeded ? folder.ReadOutputs(stage.Name) : null;
            if (RunFolder.UrlProblem(outputs) is string badUrl)
            {
                // Never recorded as published: the operator says what it was (DESIGN 3: a URL is checked before it is recorded).
                outcome = new StageOutcome(StageResult.Review, outcome.ExitCode, $"stage '{stage.Name}' succeeded, but {badUrl}");
                outputs = null;
                _context.Observer.Warning($"'{Planned.Book}': {outcome.Error}. The book is not published; it waits for your review.");
            }
            if (outcome.Result == StageResult.Failed && outcome.ExitCode == stage.DeferExitCode)
            {
                var after = RetryAfter(folder.ReadOutputs(stage.Name));
                outcome = new StageOutcome(StageResult.Deferred, outcome.ExitCode,
                    after is null ? "the stage said not now" : $"the stage said not now, for {after.Value.TotalSeconds:0} s",
                    after);
                System.IO.File.Delete(invocation.OutputsPath);
            }
            var ended = DateTimeOffset.Now;
            await recordedBefore.ConfigureAwait(false);
            folder.AttemptEnded(stage.Name, outcome, ended, outputs);
            _context.Journal.Stage(Planned, stage.Name, attempt, outcome, started);
            _context.Observer.StageEnded(Planned, stage.Name, attempt, outcome);
            // Only a next stage may start before summary.json has this end; anything else (the book's end, a retry's
            // back-off, a stop) waits for it.
            if (outcome.Result != StageResult.Succeeded || NextStage(stageNumber) >= _context.Settings.Stages.Count)
                await folder.FlushSummary().ConfigureAwait(false);
            return outcome;
        }

        /// <summary>
        /// A stage whose outputs file already names a published URL is not run again (it published before a crash, or
        /// its verify command found the upload): it is finished from its outputs. Null when there is no URL.
        /// </summary>
        private async Task<StageOutcome?> RecoverPublishedAsync(StageSettings stage, Action processEnded, string note)
        {
            var folder = Folder!;
            var outputs = folder.ReadOutputs(stage.Name);
            if (RunFolder.UrlProblem(outputs) is string badUrl)
            {
                processEnded();
                return new StageOutcome(StageResult.Review, null, $"stage '{stage.Name}' had run before, and {badUrl}");
            }
            if (RunFolder.PublishedUrl(outputs) is not string url) return null;
            processEnded();
            folder.Recovered(stage.Name, outputs!);
            await folder.FlushSummary().ConfigureAwait(false);
            _context.Observer.Note($"'{Planned.Book}': stage '{stage.Name}' " + string.Format(CultureInfo.InvariantCulture, note, url));
            return new StageOutcome(StageResult.Succeeded, null, null);
        }

        /// <summary>
        /// The publishing stage's last attempt was cut off without a URL: did it publish? Its verify command is asked
        /// (exit 0 with a youtube_url in the outputs: it did, and the caller finishes the stage from them; exit 1: it did
        /// not, and the stage runs again). Returns the outcome that stops the attempt — Review when nobody can tell,
        /// Canceled when the batch stops meanwhile — or null when the attempt may go on.
        /// </summary>
        private async Task<StageOutcome?> SettleDoubtAsync(StageSettings stage, CancellationToken cancellation)
        {
            var folder = Folder!;
            var cutOff = folder.Details.Stage(stage.Name).Attempts.Last();
            var what = $"stage '{stage.Name}' (attempt {cutOff.Attempt}, batch {cutOff.Batch}) was cut off before it reported a URL";
            if (stage.Verify is null)
                return new StageOutcome(StageResult.Review, null, what + ", and it has no verify command to ask whether it published");
            var invocation = new StageInvocation(stage.Verify, Planned.Book, _context.Workspace.Root, folder.FullPath, _context.Options.Privacy,
                cutOff.Attempt, folder.LogPath(stage.Name), folder.OutputsPath(stage.Name));
            StageOutcome verdict;
            try { verdict = await _context.Runners(stage.Verify).RunAsync(invocation, cancellation).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { verdict = new StageOutcome(StageResult.Failed, null, e.Message); }
            if (cancellation.IsCancellationRequested) return new StageOutcome(StageResult.Canceled, null, "stopped while its verify command ran");
            if (verdict.Result == StageResult.Succeeded) return null; // the caller reads the URL it reported
            if (verdict.Result == StageResult.Failed && verdict.ExitCode == StageSettings.VerifyNotPublishedExitCode)
            {
                folder.Reviewed(stage.Name, "its verify command says it did not publish");
                _context.Observer.Note($"'{Planned.Book}': {what}; its verify command says it did not publish, so it runs again.");
                return null;
            }
            return new StageOutcome(StageResult.Review, null, what + $", and its verify command could not tell ({verdict.Error ?? verdict.Result.ToString()})");
        }

        /// <summary>
        /// The batch was stopped during a stage of the book. A publishing stage stopped before it reported a URL may
        /// have published: without a verify command to ask, the book waits for the operator (Review).
        /// </summary>
        public BookBatchResult Interrupted(StageSettings stage)
        {
            var reported = RunFolder.PublishedUrl(Folder?.ReadOutputs(stage.Name)) != null;
            if (!stage.Publishing || reported) return Skipped(SkipReason.Interrupted, $"{SkipReasons.InterruptedText} during stage '{stage.Name}'");
            var what = $"stage '{stage.Name}' was stopped (the batch was interrupted) before it reported a URL";
            return stage.Verify is null
                ? Review(stage, what)
                : Skipped(SkipReason.AwaitsVerify, SkipReasons.AwaitsVerify(what));
        }

        /// <summary>
        /// The book waits for the operator: the ledger says which stage is in doubt and why, so that every later plan
        /// shows Review from one read of the database.
        /// </summary>
        public BookBatchResult Review(StageSettings stage, string why)
        {
            _context.Records.Review(Planned.Book, stage.Name, why);
            return Skipped(SkipReason.Review, SkipReasons.Review(Planned.Book.Title, stage.Name, why));
        }

        // 128 + the signal's number is how a Unix process killed by a signal (or one that ends because of it) exits.
        private static bool EndedBySignal(int? exitCode) => exitCode is > 128 and <= 128 + 64 or ControlCExit;

        private static TimeSpan? RetryAfter(Dictionary<string, string?>? outputs) =>
            outputs != null && outputs.TryGetValue("retryAfterSeconds", out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) : null;

        /// <summary>Exponential back-off with jitter before retry number <paramref name="retry"/>: RetryDelay × 2^(retry-1) × [0.5, 1.5), capped.</summary>
        public TimeSpan Backoff(StageSettings stage, int retry) => Backoff(stage, retry, 0.5 + _jitter.NextDouble());

        /// <summary>The back-off before retry number <paramref name="retry"/> for a jitter factor (1: the mean, as a reader that cannot know the jitter expects it).</summary>
        public static TimeSpan Backoff(StageSettings stage, int retry, double jitter)
        {
            var factor = Math.Pow(2, retry - 1) * jitter;
            return TimeSpan.FromMilliseconds(Math.Min(stage.RetryDelay.TotalMilliseconds * factor, stage.RetryMaxDelay.TotalMilliseconds));
        }

        /// <summary>
        /// Every stage succeeded, but none reported a <c>youtube_url</c> while the settings require one (by default, a
        /// pipeline with a publishing stage): the book is not silently done without its video. It waits for the
        /// operator (Review) and a warning says so. Null when the book may be done.
        /// </summary>
        public BookBatchResult? WithoutRequiredUrl()
        {
            var outputs = Folder!.Details.Stages.Where(s => s.Outputs != null).Select(s => s.Outputs!);
            if (!_context.Settings.RequireUrl || outputs.Any(o => RunFolder.PublishedUrl(o) != null)) return null;
            var stages = _context.Settings.Stages;
            var stage = stages.LastOrDefault(s => s.Publishing) ?? stages[stages.Count - 1];
            var why = "every stage succeeded, but none reported a youtube_url, and bookbatch.json requires one (\"requireUrl\", " +
                      "true by default for a pipeline with a publishing stage)";
            _context.Observer.Warning($"'{Planned.Book}': {why}. It is not recorded as done. If it was published, record it: " +
                $"Complete-Book '{Planned.Book.Title}' -YouTubeUrl <url>; if the pipeline publishes nothing, set \"requireUrl\": false in bookbatch.json.");
            return Review(stage, why);
        }

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
            _context.Records.Done(Planned.Book, youtube, shortUrl, Folder!.Name);
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
            _context.Records.Stop(Planned.Book, message);
            return held == SkipReason.None ? Result(BookOutcome.Failed, _note, message) : Skipped(held, message);
        }

        /// <summary>The book is Skipped, for <paramref name="why"/>, told as <paramref name="reason"/>.</summary>
        public BookBatchResult Skipped(SkipReason why, string? reason) => Result(BookOutcome.Skipped, reason, null, skipReason: why);

        public BookBatchResult Result(BookOutcome outcome, string? reason, string? error, string? youtube = null, string? shortUrl = null,
            SkipReason skipReason = SkipReason.None) =>
            new(_context.BatchId, Planned.Index, Planned.Book.Title, Planned.Book.Author, outcome, reason, error,
                youtube ?? (outcome == BookOutcome.Skipped ? Planned.Status.YouTubeUrl : null),
                shortUrl ?? (outcome == BookOutcome.Skipped ? Planned.Status.ShortUrl : null),
                Folder?.Name ?? Planned.Status.RunFolder, _stagesRun.ToArray(),
                Started == default ? DateTimeOffset.Now : Started, DateTimeOffset.Now, skipReason);

        /// <summary>Gives the book's lease up: after the ledger's last write and the run folder's, so the next holder reads the end.</summary>
        public void Dispose()
        {
            // Written already unless the batch is stopping because of a failure; a write that failed is that failure.
            Folder?.Dispose();
            _lease?.Dispose();
        }
    }
}
