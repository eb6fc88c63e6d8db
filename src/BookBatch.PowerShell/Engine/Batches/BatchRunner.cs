using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Runs a planned batch (DESIGN 5.4): books start in input order, at most ThrottleLimit at once and Delay apart;
    /// each book's owed stages run in pipeline order; each stage has its own concurrency limit and rate across the
    /// batch, so one book renders while others transcribe. When a slot frees, the ready stage of the earliest book
    /// goes first. A failed attempt is retried after a back-off that holds no slot; a stage that says "not now"
    /// parks its book until its window reopens. Results go to the observer and the journal as books finish.
    /// Cancellation ends every running process tree, records the books not finished as skipped ("interrupted")
    /// and still writes the end of the journal.
    /// </summary>
    /// <remarks>
    /// One coordinating loop owns all scheduling state; attempts run as tasks and only report back by completing.
    /// </remarks>
    public sealed class BatchRunner
    {
        private readonly BatchContext _context;
        private readonly BatchPlan _plan;
        private readonly int _throttle;

        /// <summary>Prepares a batch; <paramref name="runners"/> gives the runner for each stage.</summary>
        public BatchRunner(Workspace workspace, PipelineSettings settings, BatchOptions options, BatchPlan plan,
            Func<StageSettings, IStageRunner> runners, IBatchObserver observer, BatchJournal journal)
        {
            _plan = plan;
            _throttle = Math.Max(1, options.ThrottleLimit);
            _context = new BatchContext(workspace, settings, options, plan.Id, runners, observer, journal);
        }

        private sealed class Flight
        {
            public Flight(BookJob job, CancellationTokenSource timeout) { Job = job; Timeout = timeout; }
            public BookJob Job { get; }
            public CancellationTokenSource Timeout { get; }
            public int Stage;                       // index of the stage it is at
            public int Failures;                    // failed attempts of that stage in this batch
            public DateTimeOffset NotBefore;        // back-off
            public Task<StageOutcome>? Running;
            public bool Parked;                     // waiting for the stage's rate window
            public bool Ready;                      // begun while the book before it runs its last stage; waits for room
            public bool AtLastStage;                // its running attempt is of the last stage it owes
            public bool Counted => !Parked && !Ready; // takes a place of the throttle
            public StageGate.Place? Slot;            // the stage place its current attempt holds
        }

        /// <summary>Runs the batch to its end (or until cancelled) and returns every book's result, in input order.</summary>
        public async Task<IReadOnlyList<BookBatchResult>> RunAsync(CancellationToken cancellation)
        {
            var journal = _context.Journal;
            var stages = _context.Settings.Stages;
            journal.Write("start", w =>
            {
                w.WriteString("batch", _plan.Id);
                w.WriteString("workspace", _context.Workspace.Root);
                w.WriteString("host", Environment.MachineName);
                w.WriteNumber("pid", System.Diagnostics.Process.GetCurrentProcess().Id);
                w.WriteNumber("books", _plan.Books.Count);
                w.WriteNumber("throttleLimit", _throttle);
                w.WriteString("privacy", _context.Options.Privacy);
                w.WriteBoolean("force", _context.Options.Force);
            });
            foreach (var book in _plan.Books)
                journal.Write("plan", w =>
                {
                    w.WriteNumber("index", book.Index);
                    w.WriteString("book", book.Book.ToString());
                    w.WriteString("action", book.Action.ToString());
                });

            var results = new List<BookBatchResult>();
            // Books whose every stage succeeded, until the ledger write that records them done (and their records).
            var finishing = new List<(Flight Flight, BookBatchResult Result)>();
            var records = new List<Action<BookLedger>>();
            void Emit(BookBatchResult result)
            {
                results.Add(result);
                journal.Result(result);
                _context.Observer.BookFinished(result);
            }
            void Finish(Flight flight, BookBatchResult result)
            {
                flight.Timeout.Dispose();
                flight.Job.Dispose();
                Emit(result);
            }
            // Records the finishing books done (unless a book's start wrote them already), then reports them.
            void WriteFinished()
            {
                if (records.Count > 0)
                    _context.Coordination.Ledger.Update(l =>
                    {
                        foreach (var record in records) record(l);
                        return (true, 0);
                    });
                records.Clear();
                foreach (var (flight, result) in finishing) Finish(flight, result);
                finishing.Clear();
            }
            void Land(Flight flight, BookBatchResult result, List<Flight> flights)
            {
                flights.Remove(flight);
                Finish(flight, result);
            }

            var gates = stages.ToDictionary(s => s.Name, s => new StageGate(s, _context.Coordination));
            var queue = new Queue<PlannedBook>(_plan.Books);
            var flights = new List<Flight>();
            var nextStart = DateTimeOffset.MinValue;
            // Attempts whose process ended hand their stage slot back through this queue, before their bookkeeping.
            var freed = new ConcurrentQueue<StageGate.Place>();
            var signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            void ReleaseSlots()
            {
                while (freed.TryDequeue(out var slot)) slot.Dispose();
            }
            // Cancelled by the caller (Ctrl+C) or by a failure of the batch itself (a damaged or locked database).
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            try
            {
                while (true)
                {
                    Volatile.Write(ref signal, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
                    ReleaseSlots();
                    var now = DateTimeOffset.Now;
                    var stopping = cancellation.IsCancellationRequested;

                    // Dispatch: the earliest book's ready stage first, wherever a slot and the rate allow. Attempts start
                    // on the pool, so that spawning one process never delays handing the next slot out.
                    void Dispatch(Flight flight)
                    {
                        if (stopping || flight.Ready || flight.Running != null || flight.Stage >= stages.Count) return;
                        var stage = stages[flight.Stage];
                        if (flight.Timeout.IsCancellationRequested)
                        {
                            Land(flight, flight.Job.Stop(BookOutcome.Failed, TimedOutMessage(stage)), flights);
                            return;
                        }
                        if (now < flight.NotBefore) return;
                        var gate = gates[stage.Name];
                        if (!gate.IsOpen(now))
                        {
                            flight.Parked = true;
                            return;
                        }
                        if (flight.Parked && flights.Count(f => f.Counted) >= _throttle) return;
                        var held = gate.TryStart(now, abort.Token, out var closed);
                        if (held is null)
                        {
                            flight.Parked |= closed;
                            return;
                        }
                        flight.Parked = false;
                        flight.AtLastStage = flight.Job.NextStage(flight.Stage + 1) >= stages.Count;
                        var (job, number, token) = (flight.Job, flight.Stage + 1, flight.Timeout.Token);
                        var place = flight.Slot = held;
                        flight.Running = Task.Run(() => job.RunAttemptAsync(stage, number, token, place.Record, () =>
                        {
                            freed.Enqueue(place);
                            Volatile.Read(ref signal).TrySetResult(true);
                        }));
                    }
                    foreach (var flight in flights.ToList()) Dispatch(flight);

                    // Books whose every stage succeeded make room at once; the ledger records them done in the next
                    // book's start write, or on its own below (after the dispatch: the ledger write waits for the disk).
                    foreach (var flight in flights.Where(f => f.Running is null && f.Stage >= stages.Count).ToList())
                    {
                        flights.Remove(flight);
                        var (record, result) = flight.Job.Succeed();
                        records.Add(record);
                        finishing.Add((flight, result));
                    }

                    // Start books in input order: a book that needs no work is reported as it comes up. With the throttle
                    // full, the next book is begun (lease, run folder, ledger) while a book before it runs its last
                    // stage, so that its first stage starts as soon as there is room, not after that bookkeeping.
                    while (!stopping)
                    {
                        var hasRoom = flights.Count(f => f.Counted) < _throttle;
                        var ready = flights.FirstOrDefault(f => f.Ready);
                        if (ready != null)
                        {
                            if (!hasRoom) break;
                            ready.Ready = false;
                            ready.Timeout.CancelAfter(_context.Options.BookTimeout); // its time starts with its first stage
                            nextStart = now + _context.Options.Delay;
                            Dispatch(ready);
                            break;
                        }
                        if (queue.Count == 0) break;
                        var head = queue.Peek();
                        var job = new BookJob(_context, head);
                        if (!head.IsWork || _context.Options.Declined.Contains(head.Index))
                        {
                            // A book that needs no work still takes its turn, so one book at a time reports in input order.
                            if (!hasRoom) break;
                            WriteFinished(); // results in the order books end: those that ended first go first
                            queue.Dequeue();
                            Emit(job.Result(BookOutcome.Skipped, head.IsWork ? "declined at the confirmation" : head.Reason, null));
                            continue;
                        }
                        if (now < nextStart) break;
                        if (!hasRoom && !flights.Any(f => f.Counted && f.Running != null && f.AtLastStage)) break;
                        queue.Dequeue();
                        var early = job.Begin(records);
                        if (early != null)
                        {
                            job.Dispose();
                            Emit(early);
                            continue;
                        }
                        var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort.Token);
                        var started = new Flight(job, timeout) { Stage = job.NextStage(0), Ready = !hasRoom };
                        if (!started.Ready) timeout.CancelAfter(_context.Options.BookTimeout);
                        flights.Add(started);
                        if (started.Ready) break;
                        nextStart = now + _context.Options.Delay;
                        Dispatch(started); // a new book is the latest: every earlier one had its turn above
                        break;             // one start per turn: books already running must not wait for the others' starts
                    }

                    WriteFinished();

                    var running = flights.Where(f => f.Running != null).Select(f => (Task)f.Running!).ToList();
                    if (stopping && running.Count == 0)
                    {
                        foreach (var flight in flights.ToList())
                            Land(flight, flight.Job.Result(BookOutcome.Skipped, "interrupted", null), flights);
                        while (queue.Count > 0)
                        {
                            var book = queue.Dequeue();
                            Emit(new BookJob(_context, book).Result(BookOutcome.Skipped, book.IsWork ? "interrupted" : book.Reason, null));
                        }
                        break;
                    }
                    if (running.Count == 0 && queue.Count == 0)
                    {
                        if (flights.Count == 0) break;
                        if (GiveUpParked(flights, gates, now, Land)) continue;
                    }

                    // Wait for an attempt to end, the next timer (book start, back-off, rate window, time-out) or a stop.
                    // The next book's start time counts only while there is room for it: with the throttle full, a
                    // start time already past would wake the loop at once, again and again, until a book ends.
                    var room = (queue.Count > 0 || flights.Any(f => f.Ready)) && flights.Count(f => f.Counted) < _throttle;
                    var wake = NextTimer(flights, gates, room ? nextStart : DateTimeOffset.MaxValue, now);
                    if (room && now >= nextStart) wake = now; // start the next book at once
                    using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping ? CancellationToken.None : cancellation))
                    {
                        var timers = new List<Task>(running) { signal.Task };
                        if (wake != DateTimeOffset.MaxValue)
                        {
                            var delay = wake - DateTimeOffset.Now;
                            timers.Add(Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, wait.Token));
                        }
                        else if (!stopping) timers.Add(Task.Delay(Timeout.Infinite, wait.Token));
                        if (timers.Count > 0) await Task.WhenAny(timers).ConfigureAwait(false);
                        wait.Cancel();
                    }

                    // Take in the attempts that ended.
                    foreach (var flight in flights.Where(f => f.Running is { IsCompleted: true }).ToList())
                    {
                        var stage = stages[flight.Stage];
                        var outcome = await flight.Running!.ConfigureAwait(false);
                        flight.Running = null;
                        flight.Slot?.Dispose();
                        now = DateTimeOffset.Now;
                        switch (outcome.Result)
                        {
                            case StageResult.Succeeded:
                                flight.Stage = flight.Job.NextStage(flight.Stage + 1);
                                flight.Failures = 0;
                                break;
                            case StageResult.Deferred:
                                gates[stage.Name].Block(now + (outcome.RetryAfter ?? gates[stage.Name].DefaultDeferral), now);
                                flight.Parked = true;
                                break;
                            case StageResult.Review:
                                Land(flight, flight.Job.Review(stage, outcome.Error!), flights);
                                break;
                            case StageResult.Canceled when cancellation.IsCancellationRequested:
                                Land(flight, flight.Job.Interrupted(stage), flights);
                                break;
                            case StageResult.Canceled:
                                Land(flight, flight.Job.Stop(BookOutcome.Failed, TimedOutMessage(stage)), flights);
                                break;
                            default:
                                if (flight.Failures < stage.Retries && stage.IsRetryable(outcome.ExitCode) && !cancellation.IsCancellationRequested)
                                {
                                    flight.Failures++;
                                    flight.NotBefore = now + flight.Job.Backoff(stage, flight.Failures);
                                }
                                else Land(flight, flight.Job.Stop(BookOutcome.Failed, $"stage '{stage.Name}' failed: {outcome.Error}"), flights);
                                break;
                        }
                    }
                }

            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // The batch cannot go on: stop what runs, give the books up, and still end the journal.
                abort.Cancel();
                var running = flights.Where(f => f.Running != null).Select(f => (Task)f.Running!).ToArray();
                try { await Task.WhenAll(running).ConfigureAwait(false); }
                catch (Exception) { /* their outcomes no longer matter */ }
                foreach (var flight in flights.Concat(finishing.Select(f => f.Flight)))
                {
                    flight.Timeout.Dispose();
                    flight.Job.Dispose();
                }
                journal.Write("end", w =>
                {
                    w.WriteBoolean("interrupted", true);
                    w.WriteString("error", failure.Message);
                    w.WriteNumber("total", results.Count);
                });
                throw;
            }

            journal.Write("end", w =>
            {
                w.WriteBoolean("interrupted", cancellation.IsCancellationRequested);
                w.WriteNumber("total", results.Count);
                foreach (BookOutcome outcome in Enum.GetValues(typeof(BookOutcome)))
                    w.WriteNumber(outcome.ToString().ToLowerInvariant(), results.Count(r => r.Outcome == outcome));
            });
            return results.OrderBy(r => r.Index).ToList();
        }

        private string TimedOutMessage(StageSettings stage) =>
            $"the book timed out after {_context.Options.BookTimeout.TotalSeconds:0.#} s during stage '{stage.Name}'";

        // Only books waiting for a back-off or a rate window are left. A parked book whose window reopens within its
        // stage's maxWaitSeconds waits; the others stop here, still processing at that stage, with the reason.
        // Returns true when it stopped some book (so the loop looks again).
        private static bool GiveUpParked(List<Flight> flights, Dictionary<string, StageGate> gates, DateTimeOffset now,
            Action<Flight, BookBatchResult, List<Flight>> land)
        {
            if (flights.Any(f => !f.Parked)) return false; // a ready book is started once there is room
            var stopped = false;
            foreach (var flight in flights.ToList())
            {
                var stage = flight.Job.Stage(flight.Stage);
                var opens = gates[stage.Name].NextOpening(now);
                if (opens - now <= stage.MaxWait) continue;
                land(flight, flight.Job.Stop(BookOutcome.Skipped,
                    $"waiting for stage '{stage.Name}': its quota allows the next start at {opens.ToLocalTime():yyyy-MM-dd HH:mm:ss}; the next batch carries on"), flights);
                stopped = true;
            }
            return stopped;
        }

        private static DateTimeOffset NextTimer(List<Flight> flights, Dictionary<string, StageGate> gates, DateTimeOffset nextStart, DateTimeOffset now)
        {
            var wake = nextStart;
            foreach (var flight in flights.Where(f => f.Running is null))
            {
                if (flight.NotBefore > now && flight.NotBefore < wake) wake = flight.NotBefore;
                if (flight.Parked)
                {
                    // A window already open means the book waits for a slot or for room: an attempt's end wakes the loop.
                    var opens = gates[flight.Job.Stage(flight.Stage).Name].NextOpening(now);
                    if (opens > now && opens < wake) wake = opens;
                }
            }
            // Time-outs of waiting books are noticed within a second.
            if (flights.Any(f => f.Running is null) && wake > now + TimeSpan.FromSeconds(1)) wake = now + TimeSpan.FromSeconds(1);
            // Places other batches hold are given back without a word to this one: look again soon.
            if (flights.Any(f => f.Running is null && !f.Ready && f.Stage < gates.Count && gates[f.Job.Stage(f.Stage).Name].HeldElsewhere)
                && wake > now + StageGate.ForeignPoll)
                wake = now + StageGate.ForeignPoll;
            return wake;
        }
    }
}
