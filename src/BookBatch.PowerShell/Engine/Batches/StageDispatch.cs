using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The per-book half of the scheduler's turn: starts a book's next stage when its back-off, its stage's window and
    /// a place allow (else tells what it waits for), and takes in an attempt's end as its verdict says. The loop
    /// (<see cref="BatchRunner"/>) decides which books it asks about and lands the books that end here.
    /// </summary>
    internal sealed class StageDispatch
    {
        private readonly BatchContext _context;
        private readonly IReadOnlyList<StageSettings> _stages;
        private readonly LoopWake _wake;

        public StageDispatch(BatchContext context, LoopWake wake)
        {
            _context = context;
            _stages = context.Settings.Stages;
            _wake = wake;
            Gates = _stages.ToDictionary(s => s.Name, s => new StageGate(s, context.Coordination));
        }

        /// <summary>Each stage's gate (its places and its rate window across the workspace), by name.</summary>
        public IReadOnlyDictionary<string, StageGate> Gates { get; }

        /// <summary>
        /// Starts the next stage of a book that waits for one, on the pool (so that spawning one process never delays
        /// handing the next place out), when its back-off is over, its stage's window is open and a place is free; a
        /// parked book also needs <paramref name="room"/>. Returns the book's result when its time ran out instead.
        /// </summary>
        public BookBatchResult? Dispatch(BookInFlight flight, DateTimeOffset now, bool room, CancellationToken abort)
        {
            if (flight.Phase is FlightPhase.Ready or FlightPhase.Running || flight.Stage >= _stages.Count) return null;
            var stage = _stages[flight.Stage];
            if (flight.Timeout.IsCancellationRequested) return flight.Job.Stop(TimedOutMessage(stage));
            if (now < flight.NotBefore)
            {
                Waits(flight, BookWaitKind.Retry, flight.NotBefore);
                return null;
            }
            var gate = Gates[stage.Name];
            if (!gate.IsOpen(now))
            {
                flight.Phase = FlightPhase.Parked;
                Waits(flight, BookWaitKind.Quota, gate.NextOpening(now));
                return null;
            }
            if (flight.Phase == FlightPhase.Parked && !room)
            {
                Waits(flight, BookWaitKind.Room, null);
                return null;
            }
            var place = gate.TryStart(now, abort, out var closed);
            if (place is null)
            {
                if (closed) flight.Phase = FlightPhase.Parked;
                Waits(flight, closed ? BookWaitKind.Quota : BookWaitKind.Place, closed ? gate.NextOpening(now) : null);
                return null;
            }
            var (job, number, token) = (flight.Job, flight.Stage + 1, flight.Timeout.Token);
            var attempt = Task.Run(() => job.RunAttemptAsync(stage, number, token, place.Expect, place.Record, _wake.PlaceFreed(stage, place)));
            flight.Started(attempt, place, atLastStage: flight.Job.NextStage(flight.Stage + 1) >= _stages.Count);
            return null;
        }

        /// <summary>Tells the observer what a book waits for, once per change (the loop looks at every waiting book each turn).</summary>
        public void Waits(BookInFlight flight, BookWaitKind kind, DateTimeOffset? until)
        {
            var wait = new BookWait(kind, flight.Stage < _stages.Count ? _stages[flight.Stage].Name : null, until);
            if (wait.Equals(flight.Waiting)) return;
            flight.Waiting = wait;
            _context.Observer.BookWaiting(flight.Job.Planned, wait);
        }

        /// <summary>
        /// Takes in the end of a book's attempt (which has completed): the book goes on (next stage, a wait, a retry) or
        /// ends, as the verdict says; its result is returned when it ends. A run folder that could not be written, or a
        /// hold the store says was lost, ends the book.
        /// </summary>
        public async Task<BookBatchResult?> TakeInAsync(BookInFlight flight, bool interrupted, DateTimeOffset now)
        {
            StageOutcome outcome;
            try { outcome = await flight.Attempt!.ConfigureAwait(false); }
            catch (RunFolderIOException e)
            {
                flight.Ended();
                return flight.Job.FolderFailed(e);
            }
            catch (BookHoldLostException e)
            {
                flight.Ended();
                return flight.Job.Lost(e);
            }
            flight.Ended();
            var stage = _stages[flight.Stage];
            var verdict = AttemptVerdict.Of(outcome, stage, flight.Failures, interrupted, now, flight.Job.Jitter());
            return flight.Apply(verdict, stage, Gates[stage.Name], now, TimedOutMessage(stage));
        }

        /// <summary>
        /// A parked book whose stage's window reopens within the stage's maxWaitSeconds waits; else it stops here,
        /// still processing at that stage, with the reason, which is returned.
        /// </summary>
        public BookBatchResult? GiveUpIfParkedTooLong(BookInFlight flight, DateTimeOffset now)
        {
            var stage = flight.Job.Stage(flight.Stage);
            var opens = Gates[stage.Name].NextOpening(now);
            return opens - now <= stage.MaxWait ? null : flight.Job.Stop(SkipReasons.Quota(stage.Name, opens), SkipReason.Quota);
        }

        private string TimedOutMessage(StageSettings stage) => SkipReasons.TimedOut(_context.Options.BookTimeout, stage.Name);
    }
}
