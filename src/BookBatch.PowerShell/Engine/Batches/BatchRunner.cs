using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Runs a planned batch: books start in input order, at most ThrottleLimit at once and Delay apart;
    /// each book's owed stages run in pipeline order; each stage has its own concurrency limit and rate across the
    /// workspace (asked through <see cref="StageGate"/>), so one book renders while others transcribe. When a slot frees, the ready stage of the earliest book
    /// goes first. A failed attempt is retried after a back-off that holds no slot; a stage that says "not now"
    /// parks its book until its window reopens. Results go to the observer and the journal as books finish.
    /// Cancellation ends every running process tree, records the books not finished as skipped ("interrupted")
    /// and still writes the end of the journal.
    /// </summary>
    /// <remarks>
    /// One coordinating loop owns all scheduling state, and each part of its turn is a method of its own: dispatching
    /// stages, setting finished books aside, admitting the next book, deciding what next, waiting, taking in ends. What
    /// a single book's stage start and end mean is <see cref="StageDispatch"/>'s. Attempts run as tasks and only report back by completing; nothing on the loop waits but its one wait for the
    /// next event. What an attempt's end means is <see cref="AttemptVerdict"/>'s; the time is the clock's it was given.
    /// A runner runs one batch.
    /// </remarks>
    public sealed class BatchRunner
    {
        private readonly BatchContext _context;
        private readonly BatchPlan _plan;
        private readonly BatchBookends _bookends;
        private readonly IClock _clock;
        private readonly int _throttle;
        private readonly IReadOnlyList<StageSettings> _stages;
        private readonly StageDispatch _dispatch;
        private readonly BookQueue _queue;
        private readonly List<BookInFlight> _flights = new();
        private readonly BatchResults _results;
        private readonly LoopWake _wake;
        // The books begun and not finished, as the last turn left them (read by a worker's heartbeat, on its thread).
        private int _inFlight;
        // More books while the batch runs on (a worker's round); none for a batch of a given list.
        private readonly BookRefill? _refill;
        // One turn's view: its time, and whether the batch is stopping (Ctrl+C, a termination signal, a drain).
        private DateTimeOffset _now;
        private bool _stopping;
        // Stopping: cancelled by an interruption or a drain. Interrupted: running stages are being ended. Closed: no
        // book is begun any more, and the books begun go on to their end (a worker's queue was paused).
        private CancellationToken _cancellation;
        private CancellationToken _interrupted;
        private CancellationToken _admission;
        private bool _closed;
        // Cancelled by the caller or by a failure of the batch itself (a damaged or locked database).
        private CancellationTokenSource _abort = new();

        /// <summary>
        /// Prepares a batch of a workspace whose ledger, holds, places and rate windows are <paramref name="coordination"/>;
        /// <paramref name="runners"/> gives the runner for each stage; <paramref name="clock"/> the time it schedules by
        /// (the system clock when null); <paramref name="notifier"/> is told of the batch's end (nobody when null);
        /// <paramref name="feed"/> gives more books while the batch has room and nothing left to begin (none when null).
        /// </summary>
        public BatchRunner(Workspace workspace, IWorkspaceCoordination coordination, PipelineSettings settings, BatchOptions options,
            BatchPlan plan, Func<StageSettings, IStageRunner> runners, IBatchObserver observer, BatchJournal journal,
            IClock? clock = null, IBatchEndNotifier? notifier = null, IBookFeed? feed = null)
        {
            _plan = plan;
            _throttle = Math.Max(1, options.ThrottleLimit);
            _clock = clock ?? SystemClock.Instance;
            _context = new BatchContext(workspace, coordination, settings, options, plan.Id, runners, observer, journal, _clock);
            _bookends = new BatchBookends(_context, plan, notifier);
            _results = new BatchResults(_context);
            _stages = settings.Stages;
            _queue = new BookQueue(_context, plan.Books);
            _wake = new LoopWake(_clock);
            _dispatch = new StageDispatch(_context, _wake);
            _refill = feed is null ? null : new BookRefill(feed, plan);
        }

        /// <summary>
        /// Runs the batch to its end (or until cancelled) and returns every book's result, in input order. Each turn
        /// of the loop starts what may start — stages first, then the next book — writes what finished, then waits
        /// for an attempt's end, a timer or a stop, and takes in the attempts that ended.
        /// </summary>
        public Task<IReadOnlyList<BookBatchResult>> RunAsync(CancellationToken cancellation) => RunAsync(cancellation, CancellationToken.None, CancellationToken.None);

        /// <summary>
        /// Runs the batch as <see cref="RunAsync(CancellationToken)"/> does; <paramref name="drain"/> stops it gently: no book
        /// and no stage starts after it, the stages that run end by themselves (or, once <paramref name="cancellation"/>
        /// comes too, are ended and recorded as interrupted), then every book left is Skipped, interrupted.
        /// <paramref name="closeAdmission"/> stops it more gently still: no book is begun after it, and the books begun go
        /// on to their end; the books not begun are Skipped, interrupted.
        /// </summary>
        public async Task<IReadOnlyList<BookBatchResult>> RunAsync(CancellationToken cancellation, CancellationToken drain, CancellationToken closeAdmission)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, drain);
            _cancellation = stop.Token;
            _interrupted = cancellation;
            _admission = closeAdmission;
            using var abort = _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var placesFreed = _stages.Any(s => s.Concurrency > 0) ? _context.Coordination.WatchPlaces(stage => _wake.PlaceFreedElsewhere(stage, _dispatch.Gates)) : null;
            _bookends.WriteStart(_throttle);
            try
            {
                while (true)
                {
                    BeginTurn();
                    foreach (var flight in _flights.ToList()) Dispatch(flight);
                    SetAsideSucceeded();
                    AdmitNextBook();
                    _results.WriteFinished();
                    Volatile.Write(ref _inFlight, _flights.Count);
                    var next = WhatNext();
                    if (next == Turn.Done) break;
                    if (next == Turn.Again) continue;
                    await WaitAsync().ConfigureAwait(false);
                    await TakeInEndedAsync().ConfigureAwait(false);
                }
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                await GiveUpAsync().ConfigureAwait(false);
                await _bookends.FailedAsync(_results.AsEnded, failure).ConfigureAwait(false);
                throw;
            }
            await _bookends.EndAsync(_results.AsEnded, stop.IsCancellationRequested).ConfigureAwait(false);
            return Results;
        }

        private void BeginTurn()
        {
            _wake.BeginTurn();
            _now = _clock.Now;
            _stopping = _cancellation.IsCancellationRequested;
            _closed = _admission.IsCancellationRequested;
            foreach (var flight in _flights) flight.TimeOutAt(_now);
        }

        private int CountedFlights => _flights.Count(f => f.Counted);

        // A book's next stage starts when it may (see StageDispatch); the caller goes in input order, so the earliest
        // book is first.
        private void Dispatch(BookInFlight flight)
        {
            if (_stopping) return;
            if (_dispatch.Dispatch(flight, _now, CountedFlights < _throttle, _abort.Token) is BookBatchResult ended) Land(flight, ended);
        }

        // Books whose every stage succeeded make room at once; the ledger records them done in the next book's start
        // write, or on its own (WriteFinished, after the dispatch: the ledger write waits for the disk).
        private void SetAsideSucceeded()
        {
            foreach (var flight in _flights.Where(f => f.Phase != FlightPhase.Running && f.Stage >= _stages.Count).ToList())
            {
                if (flight.Job.WithoutRequiredUrl() is BookBatchResult held)
                {
                    Land(flight, held);
                    continue;
                }
                _flights.Remove(flight);
                _results.Succeeded(flight);
            }
        }

        // Books start in input order, one a turn: books already running must not wait for the others' starts. A book
        // that needs no work is reported as it comes up. With the throttle full, the next book is begun (lease, run
        // folder, ledger) while a book before it runs its last stage, so that its first stage starts as soon as there
        // is room, not after that bookkeeping.
        private void AdmitNextBook()
        {
            while (!_stopping)
            {
                var hasRoom = CountedFlights < _throttle;
                var ready = _flights.FirstOrDefault(f => f.Phase == FlightPhase.Ready);
                if (ready != null)
                {
                    if (!hasRoom) return;
                    ready.Phase = FlightPhase.Waiting;
                    ready.StartTimeout(_now, _context.Options.BookTimeout); // its time starts with its first stage
                    _queue.Started(_now);
                    Dispatch(ready);
                    return;
                }
                if (_queue.Count == 0 && !_closed && hasRoom) Refill();
                if (_queue.Count == 0 || _closed) return;
                var head = _queue.Peek();
                var job = new BookJob(_context, head);
                if (!head.IsWork || _context.Options.Declined.Contains(head.Index))
                {
                    // A book that needs no work still takes its turn, so one book at a time reports in input order.
                    if (!hasRoom) return;
                    _results.WriteFinished(); // results in the order books end: those that ended first go first
                    _queue.Dequeue();
                    _results.Emit(head.IsWork ? job.Skipped(SkipReason.Declined, SkipReasons.DeclinedText) : job.Skipped(head.SkipReason, head.Reason));
                    continue;
                }
                if (_queue.Delayed(head, _now)) return;
                if (!hasRoom && !_flights.Any(f => f.Phase == FlightPhase.Running && f.AtLastStage)) return;
                if (!_queue.TakeLease(head, ref job, _now)) return;
                _queue.Dequeue();
                var early = job.Begin();
                if (early != null)
                {
                    job.Dispose();
                    _results.Emit(early);
                    continue;
                }
                var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abort.Token, job.HoldLost);
                var begun = new BookInFlight(job, timeout, job.NextStage(0), hasRoom ? FlightPhase.Waiting : FlightPhase.Ready);
                _flights.Add(begun);
                if (!hasRoom)
                {
                    _dispatch.Waits(begun, BookWaitKind.Room, null);
                    return;
                }
                begun.StartTimeout(_now, _context.Options.BookTimeout);
                _queue.Started(_now);
                Dispatch(begun); // a new book is the latest: every earlier one had its turn above
                return;
            }
        }

        // Books fed to the batch since it was planned, queued and journaled as planned books.
        private void Refill()
        {
            if (_refill is null || _now < _refill.NextLook) return;
            foreach (var book in _refill.More(_now, _results.AsEnded))
            {
                _queue.Enqueue(book);
                _bookends.WritePlanned(book);
            }
        }

        private enum Turn { Wait, Again, Done }

        // After a stop, once nothing runs, every book left is Skipped ("interrupted"). When nothing runs and nothing is
        // queued, the batch is done — or only parked books are left, which may be given up.
        private Turn WhatNext()
        {
            var running = _flights.Any(f => f.Phase == FlightPhase.Running);
            if (_stopping && !running)
            {
                foreach (var flight in _flights.ToList())
                    Land(flight, flight.Job.Skipped(SkipReason.Interrupted, SkipReasons.InterruptedText));
                SkipNotBegun(SkipReasons.InterruptedText);
                return Turn.Done;
            }
            if (_closed && _flights.Count == 0)
            {
                SkipNotBegun(SkipReasons.InterruptedText + ": not begun, the queue was paused");
                return Turn.Done;
            }
            if (running || _queue.Count > 0) return Turn.Wait;
            if (_flights.Count == 0) return Turn.Done;
            return GiveUpParked() ? Turn.Again : Turn.Wait;
        }

        // The books never begun end here: Skipped, interrupted for why (a book that is no work keeps its own reason).
        private void SkipNotBegun(string why)
        {
            while (_queue.Count > 0)
            {
                var book = _queue.Dequeue();
                _results.Emit(new BookJob(_context, book).Skipped(book.IsWork ? SkipReason.Interrupted : book.SkipReason, book.IsWork ? why : book.Reason));
            }
        }

        // Waits for an attempt to end, the next timer or a stop. The next book's start time counts only while there is
        // room for it: with the throttle full, a start time already past would wake the loop at once, again and again,
        // until a book ends.
        private Task WaitAsync()
        {
            var room = !_closed && (_queue.Count > 0 || _flights.Any(f => f.Phase == FlightPhase.Ready)) && CountedFlights < _throttle;
            var start = _queue.NextStart(_now, room);
            // With room and nothing to begin, the batch looks for more books (a worker's round) when its feed says.
            if (_refill != null && !_closed && !_stopping && _queue.Count == 0 && CountedFlights < _throttle && _refill.NextLook < start) start = _refill.NextLook;
            var wake = start <= _now ? _now : LoopWake.Next(_now, start, _flights, _stages, _dispatch.Gates); // start the next book at once
            var attempts = _flights.Where(f => f.Attempt != null).Select(f => (Task)f.Attempt!).ToList();
            return _wake.WaitAsync(attempts, wake, _stopping, _cancellation);
        }

        private async Task TakeInEndedAsync()
        {
            foreach (var flight in _flights.Where(f => f.Attempt is { IsCompleted: true }).ToList())
                if (await _dispatch.TakeInAsync(flight, _interrupted.IsCancellationRequested, _clock.Now).ConfigureAwait(false) is BookBatchResult ended)
                    Land(flight, ended);
        }

        // The batch cannot go on: stop what runs, give the books up, and still end the journal.
        private async Task GiveUpAsync()
        {
            _abort.Cancel();
            var running = _flights.Where(f => f.Attempt != null).Select(f => (Task)f.Attempt!).ToArray();
            try { await Task.WhenAll(running).ConfigureAwait(false); }
            catch (Exception) { /* their outcomes no longer matter */ }
            foreach (var flight in _flights.Concat(_results.Finishing))
            {
                flight.Timeout.Dispose();
                flight.Job.Dispose();
            }
            _queue.Abandon();
        }

        /// <summary>
        /// Every result so far, in input order: what <see cref="RunAsync(CancellationToken)"/> returns, also for a batch that could not go
        /// on or was stopped (read by the caller's final summary).
        /// </summary>
        public IReadOnlyList<BookBatchResult> Results => _results.InInputOrder;

        /// <summary>The books begun and not finished yet, as the loop's last turn left them (any thread).</summary>
        public int BooksInFlight => Volatile.Read(ref _inFlight);

        /// <summary>How many attempts the loop last waited for: all it started and has not taken in yet.</summary>
        internal int AttemptsAwaited => _wake.AttemptsAwaited;

        private void Land(BookInFlight flight, BookBatchResult result)
        {
            _flights.Remove(flight);
            _results.Finish(flight, result);
        }

        // Only books waiting for a back-off or a rate window are left. A parked book whose window reopens within its
        // stage's maxWaitSeconds waits; the others stop here, still processing at that stage, with the reason.
        // Returns true when it stopped some book (so the loop looks again).
        private bool GiveUpParked()
        {
            if (_flights.Any(f => f.Phase != FlightPhase.Parked)) return false; // a ready book is started once there is room
            var stopped = false;
            foreach (var flight in _flights.ToList())
            {
                if (_dispatch.GiveUpIfParkedTooLong(flight, _now) is not BookBatchResult ended) continue;
                Land(flight, ended);
                stopped = true;
            }
            return stopped;
        }
    }
}
