using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Workers
{
    /// <summary>
    /// A long-running worker (docs/DECISIONS.md, "Workers"): it takes the books the ledger owes — recorded as processing,
    /// not in Review, held by no one — and runs them as a batch (a round), with every rule a batch keeps; then looks
    /// again. Books added meanwhile (Add-Book, another server's Invoke-BookBatch) are taken at the next round. Several
    /// workers, on one machine or many, share the queue through the workspace's store: each book goes to the one that
    /// holds it first. A paused queue starts nothing. A stop drains the worker: no book or stage starts, running stages
    /// have the grace time to end by themselves, then they are ended and recorded as interrupted.
    /// </summary>
    public sealed class BookWorker : IBookFeed
    {
        private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
        private static readonly TimeSpan MostBackOff = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan FirstFailedBookWait = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan MostFailedBookWait = TimeSpan.FromHours(1);
        // How often a round with room and nothing left to begin looks for books that came free meanwhile.
        private static readonly TimeSpan FeedEvery = TimeSpan.FromSeconds(1);

        private readonly Workspace _workspace;
        private readonly IWorkspaceCoordination _coordination;
        private readonly PipelineSettings _settings;
        private readonly Func<BatchOptions> _options;
        private readonly WorkerOptions _worker;
        private readonly Func<StageSettings, IStageRunner> _runners;
        private readonly IWorkerObserver _observer;
        private readonly IClock _clock;
        private readonly object _gate = new();
        private (WorkerActivity Activity, int Books, string? Batch) _state = (WorkerActivity.Idle, 0, null);
        // Books that failed in this worker, and when it takes each again (1 minute, doubled each time, at most an hour).
        private readonly Dictionary<Books.Book, (int Failures, DateTimeOffset Again)> _failed = new();
        // The round running now: cancelled to begin no more books (the queue was paused meanwhile); its runner tells
        // the books in flight.
        private CancellationTokenSource? _admission;
        private BatchRunner? _round;

        /// <summary>
        /// A worker of <paramref name="workspace"/>'s queue; <paramref name="options"/> makes each round's batch options (the
        /// settings' defaults and the command's parameters).
        /// </summary>
        public BookWorker(Workspace workspace, IWorkspaceCoordination coordination, PipelineSettings settings, Func<BatchOptions> options,
            WorkerOptions worker, Func<StageSettings, IStageRunner> runners, IWorkerObserver observer, IClock? clock = null)
        {
            _workspace = workspace;
            _coordination = coordination;
            _settings = settings;
            _options = options;
            _worker = worker;
            _runners = runners;
            _observer = observer;
            _clock = clock ?? SystemClock.Instance;
            Id = NewId(DateTime.Now);
        }

        /// <summary>The worker's id in the worker list: its server, process and start.</summary>
        public string Id { get; }

        /// <summary>Works until <paramref name="stop"/> (then drains) or, with <see cref="WorkerOptions.StopWhenIdle"/>, until no book is owed.</summary>
        public async Task<IReadOnlyList<BookBatchResult>> RunAsync(CancellationToken stop)
        {
            var results = new List<BookBatchResult>();
            using var presence = _coordination.Queue.Join(Id);
            using var interrupt = new CancellationTokenSource();
            var drained = 0;
            void Drain()
            {
                if (Interlocked.Exchange(ref drained, 1) != 0) return;
                Report(presence, WorkerActivity.Draining);
                _observer.Draining(_worker.Grace);
                interrupt.CancelAfter(_worker.Grace);
            }
            using var draining = stop.Register(Drain);
            var beat = _worker.Poll < Heartbeat ? _worker.Poll : Heartbeat;
            using var heartbeat = new Timer(_ => Beat(presence), null, beat, beat);
            var failures = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var next = await LookAsync(presence, results, stop, interrupt.Token).ConfigureAwait(false);
                    failures = 0;
                    if (next == Next.Again) continue;
                    if (next == Next.Idle && _worker.StopWhenIdle) break;
                    await Wait(_worker.Poll, stop).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    var retry = TimeSpan.FromSeconds(Math.Min(MostBackOff.TotalSeconds, Math.Pow(2, Math.Min(++failures, 10))));
                    _observer.Failed(e, retry);
                    await Wait(retry, stop).ConfigureAwait(false);
                }
            }
            // A stop's callbacks run newest first: an idle worker's wait ended, and this method with it, before the drain
            // was said, and leaving unregistered it; the drain is said here then.
            if (stop.IsCancellationRequested) Drain();
            return results;
        }

        private enum Next { Again, Wait, Idle }

        // One look at the queue: a round of the books owed, if the queue runs and some are. A round that finished no book
        // (every book failed, or waits for a quota) is not followed at once by another.
        private async Task<Next> LookAsync(IWorkerPresence presence, List<BookBatchResult> results, CancellationToken stop, CancellationToken interrupt)
        {
            if (_coordination.Queue.PausedSince() != null) return Waits(presence, WorkerActivity.Paused, Next.Wait);
            if (OwedPlan() is not { } plan) return Waits(presence, WorkerActivity.Idle, Next.Idle);
            var round = await RoundAsync(presence, plan, stop, interrupt).ConfigureAwait(false);
            results.AddRange(round.Where(r => !r.HeldElsewhere)); // a book another worker took first is that worker's
            var now = _clock.Now;
            foreach (var result in round)
            {
                var book = new Books.Book(result.Title, result.Author);
                if (result.Outcome != BookOutcome.Failed) _failed.Remove(book);
                else
                {
                    var failures = _failed.TryGetValue(book, out var before) ? before.Failures + 1 : 1;
                    var wait = TimeSpan.FromTicks(Math.Min(MostFailedBookWait.Ticks, FirstFailedBookWait.Ticks << Math.Min(failures - 1, 10)));
                    _failed[book] = (failures, now + wait);
                }
            }
            return round.Any(r => r.Outcome is BookOutcome.Success or BookOutcome.Resumed) ? Next.Again : Next.Wait;
        }

        // A batch of the books owed now. It begins no more books once the queue is paused meanwhile (the heartbeat looks).
        private async Task<IReadOnlyList<BookBatchResult>> RoundAsync(IWorkerPresence presence, BatchPlan plan, CancellationToken stop, CancellationToken interrupt)
        {
            Report(presence, WorkerActivity.Working, 0, plan.Id);
            _observer.RoundStarted(plan);
            var journal = BatchJournal.Create(_workspace, plan.Id);
            using var admission = new CancellationTokenSource();
            var runner = new BatchRunner(_workspace, _coordination, _settings, _options(), plan, _runners, _observer, journal, _clock, feed: this);
            lock (_gate) (_admission, _round) = (admission, runner);
            try
            {
                var round = await runner.RunAsync(interrupt, stop, admission.Token).ConfigureAwait(false);
                _observer.RoundEnded(plan.Id, round);
                return round;
            }
            finally
            {
                lock (_gate) (_admission, _round) = (null, null);
                journal.Dispose();
            }
        }

        private Next Waits(IWorkerPresence presence, WorkerActivity why, Next next)
        {
            bool changed;
            lock (_gate) changed = _state.Activity != why;
            Report(presence, why, 0, null);
            if (changed && !(why == WorkerActivity.Idle && _worker.StopWhenIdle)) _observer.Waiting(why);
            return next;
        }

        /// <inheritdoc />
        public TimeSpan Every => FeedEvery < _worker.Poll ? FeedEvery : _worker.Poll;

        /// <inheritdoc />
        public BatchPlan? More(IReadOnlyCollection<Books.Book> taken)
        {
            try { return _coordination.Queue.PausedSince() != null ? null : OwedPlan(taken); }
            catch (Exception e) when (e is not OutOfMemoryException) { return null; } // the store is away: the round goes on, the next look tries again
        }

        // The books owed now and free to take (but <paramref name="taken"/>), planned as a batch; null when there are none.
        // A book that failed in this worker waits its back-off first.
        private BatchPlan? OwedPlan(IReadOnlyCollection<Books.Book>? taken = null)
        {
            var ledger = _coordination.Ledger.Read();
            var now = _clock.Now;
            var owed = ledger.Books.Where(e => e.State == BookState.Processing && string.IsNullOrEmpty(e.Review)).Select(e => e.Book)
                .Where(b => !_failed.TryGetValue(b, out var failed) || failed.Again <= now)
                .Where(b => taken is null || !taken.Contains(b)).ToList();
            if (owed.Count == 0) return null;
            var holds = _coordination.Holds(_settings.Stages);
            var plan = BatchPlan.Create(BatchPlan.NewId(DateTime.Now), ledger, owed, _workspace.Root, false, (_, _) => { }, holds);
            var free = plan.Books.Where(b => b.IsWork).Select(b => b.Book).ToList();
            if (free.Count == 0) return null;
            return free.Count == plan.Books.Count ? plan : BatchPlan.Create(plan.Id, ledger, free, _workspace.Root, false, (_, _) => { }, holds);
        }

        // The heartbeat: says the worker lives, and closes a running round's admission once the queue is paused.
        private void Beat(IWorkerPresence presence)
        {
            Report(presence, null);
            CancellationTokenSource? admission;
            lock (_gate) admission = _admission;
            if (admission is null) return;
            try
            {
                if (_coordination.Queue.PausedSince() != null) admission.Cancel();
            }
            catch (ObjectDisposedException) { } // the round ended meanwhile
            catch (Exception e) when (e is not OutOfMemoryException) { } // the store is away: the next beat looks again
        }

        // Says what the worker does now (null: as before, a heartbeat), with the books its round has in flight. A report
        // that fails is tried again at the next beat.
        private void Report(IWorkerPresence presence, WorkerActivity? activity, int books = 0, string? batch = null)
        {
            (WorkerActivity, int, string?) state;
            lock (_gate)
            {
                if (activity is { } now && _state.Activity != WorkerActivity.Draining) _state = (now, books, batch);
                else if (activity == WorkerActivity.Draining) _state = (WorkerActivity.Draining, _state.Books, _state.Batch);
                if (_round != null) _state.Books = _round.BooksInFlight;
                state = _state;
            }
            try { presence.Report(state.Item1, state.Item2, state.Item3); }
            catch (Exception e) when (e is not OutOfMemoryException) { } // the store is away: the worker list shows the last beat
        }

        private async Task Wait(TimeSpan delay, CancellationToken stop)
        {
            try { await _clock.Delay(delay, stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }

        // server-process-start-random (two workers of one process differ), with only letters, digits, '.', '-' and '_' (it names files of the file store).
        private static string NewId(DateTime now)
        {
            var name = new StringBuilder();
            foreach (var c in Environment.MachineName) name.Append(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
            return $"{name}-{System.Diagnostics.Process.GetCurrentProcess().Id}-{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N").Substring(0, 4)}";
        }
    }
}
