using System;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A book the batch has begun and not finished, as the scheduler holds it: the one type for a book in flight. It
    /// keeps where the book is in its life (phase, stage, failures, back-off, time-out, the attempt that runs) and
    /// does what the verdict on an attempt says; its <see cref="BookJob"/> does the book's work (lease, run folder,
    /// attempts, ledger writes) and is reached only through it.
    /// </summary>
    internal sealed class BookInFlight
    {
        public BookInFlight(BookJob job, CancellationTokenSource timeout, int stage, FlightPhase phase)
        {
            Job = job;
            Timeout = timeout;
            Stage = stage;
            Phase = phase;
        }

        public BookJob Job { get; }

        /// <summary>Cancelled by the book's time-out (at <see cref="Deadline"/>) and the batch's abort: cancels the running attempt.</summary>
        public CancellationTokenSource Timeout { get; }

        public FlightPhase Phase { get; set; }

        /// <summary>The index of the stage it is at (the stage count once every stage succeeded).</summary>
        public int Stage { get; set; }

        /// <summary>Failed attempts of that stage in this batch.</summary>
        public int Failures { get; set; }

        /// <summary>When its time-out ends it (set when its first stage may start; never until then).</summary>
        public DateTimeOffset Deadline { get; private set; } = DateTimeOffset.MaxValue;

        /// <summary>Its time starts now: it is stopped once <paramref name="timeout"/> has passed.</summary>
        public void StartTimeout(DateTimeOffset now, TimeSpan timeout) =>
            Deadline = timeout >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + timeout;

        /// <summary>Stops its running attempt once its time is up (the scheduler looks at every turn).</summary>
        public void TimeOutAt(DateTimeOffset now)
        {
            if (now >= Deadline && !Timeout.IsCancellationRequested) Timeout.Cancel();
        }

        /// <summary>The end of its back-off before a retry.</summary>
        public DateTimeOffset NotBefore { get; set; }

        /// <summary>What it was last said to wait for (told once per change); null while it runs.</summary>
        public BookWait? Waiting { get; set; }

        /// <summary>The running attempt, while <see cref="Phase"/> is Running.</summary>
        public Task<StageOutcome>? Attempt { get; private set; }

        /// <summary>The stage place the running attempt holds.</summary>
        public StagePlace? Place { get; private set; }

        /// <summary>True while its running attempt is of the last stage it owes.</summary>
        public bool AtLastStage { get; private set; }

        /// <summary>True when it takes a place of the throttle (it runs, or may run as soon as its stage allows).</summary>
        public bool Counted => Phase is FlightPhase.Waiting or FlightPhase.Running;

        /// <summary>
        /// Does what the verdict on its attempt of <paramref name="stage"/> says: on to the next stage it owes, a wait
        /// for the stage's window (no batch starts the stage before then), a retry after its back-off; or the book's end,
        /// whose result is returned (null while it goes on).
        /// </summary>
        public BookBatchResult? Apply(AttemptVerdict verdict, StageSettings stage, StageGate gate, DateTimeOffset now, string timedOut)
        {
            switch (verdict.Kind)
            {
                case VerdictKind.NextStage:
                    Stage = Job.NextStage(Stage + 1);
                    Failures = 0;
                    return null;
                case VerdictKind.Wait:
                    gate.Block(verdict.At!.Value, now);
                    Phase = FlightPhase.Parked;
                    return null;
                case VerdictKind.Retry:
                    Failures++;
                    NotBefore = verdict.At!.Value;
                    return null;
                case VerdictKind.Review:
                    return Job.Review(stage, verdict.Reason!);
                case VerdictKind.Interrupted:
                    return Job.Interrupted(stage);
                case VerdictKind.TimedOut:
                    return Job.Stop(timedOut);
                default:
                    return Job.Stop(verdict.Reason!);
            }
        }

        /// <summary>An attempt started.</summary>
        public void Started(Task<StageOutcome> attempt, StagePlace place, bool atLastStage)
        {
            Attempt = attempt;
            Place = place;
            AtLastStage = atLastStage;
            Phase = FlightPhase.Running;
            Waiting = null;
        }

        /// <summary>The attempt ended: its place is given back (if its process's end has not done so already).</summary>
        public void Ended()
        {
            Attempt = null;
            Place?.Dispose();
            Place = null;
            Phase = FlightPhase.Waiting;
        }
    }
}
