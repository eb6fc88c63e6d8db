using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The scheduling loop's one wait, and when it ends: an attempt's end, a stage place handed back the moment its
    /// process ended, the next timer (a book's start, a back-off, a rate window, a time-out) or a stop. Nothing else on
    /// the loop waits.
    /// </summary>
    internal sealed class LoopWake
    {
        private readonly IClock _clock;
        // Attempts whose process ended hand their stage place back through this queue, before their bookkeeping.
        private readonly ConcurrentQueue<StagePlace> _freed = new();
        private TaskCompletionSource<bool> _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attemptsAwaited;

        public LoopWake(IClock clock) => _clock = clock;

        /// <summary>How many attempts the loop last waited for: all it started and had not taken in yet.</summary>
        public int AttemptsAwaited => Volatile.Read(ref _attemptsAwaited);

        /// <summary>Begins a turn: a handed-back place from now on wakes the next wait, and those handed back so far are free again.</summary>
        public void BeginTurn()
        {
            Volatile.Write(ref _signal, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
            while (_freed.TryDequeue(out var place)) place.Dispose();
        }

        /// <summary>
        /// What an attempt calls the moment its process ends: a place another book may wait for goes back before the
        /// attempt's bookkeeping; the place of a stage without a limit concerns nobody, and waking the loop for it would
        /// only delay the end.
        /// </summary>
        public Action PlaceFreed(StageSettings stage, StagePlace place)
        {
            if (stage.Concurrency <= 0) return () => { };
            return () =>
            {
                _freed.Enqueue(place);
                Volatile.Read(ref _signal).TrySetResult(true);
            };
        }

        /// <summary>
        /// What the store calls when another batch gives a place of <paramref name="stage"/> back: the loop looks again
        /// at once when a book of this batch waits for a place of it that others hold (called on the store's thread).
        /// </summary>
        public void PlaceFreedElsewhere(string stage, IReadOnlyDictionary<string, StageGate> gates)
        {
            if (gates.TryGetValue(stage, out var gate) && gate.HeldElsewhere) Volatile.Read(ref _signal).TrySetResult(true);
        }

        /// <summary>
        /// Waits until one of <paramref name="attempts"/> ends, a place is handed back, <paramref name="wake"/> comes
        /// or the batch is told to stop (<paramref name="cancellation"/>, no longer listened to once it is
        /// <paramref name="stopping"/>). Without a timer and while stopping, only an attempt's end wakes it.
        /// </summary>
        public async Task WaitAsync(IReadOnlyCollection<Task> attempts, DateTimeOffset wake, bool stopping, CancellationToken cancellation)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping ? CancellationToken.None : cancellation);
            var ends = new List<Task>(attempts) { _signal.Task };
            Volatile.Write(ref _attemptsAwaited, attempts.Count);
            if (wake != DateTimeOffset.MaxValue)
            {
                var delay = wake - _clock.Now;
                ends.Add(_clock.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, wait.Token));
            }
            else if (!stopping) ends.Add(_clock.Delay(Timeout.InfiniteTimeSpan, wait.Token));
            await Task.WhenAny(ends).ConfigureAwait(false);
            wait.Cancel();
        }

        /// <summary>
        /// When the loop must look again at the latest, from <paramref name="now"/>: the next book's start
        /// (<paramref name="nextStart"/>), a book's time-out, the end of a back-off, the reopening of a parked book's
        /// stage window; soon, when a book waits for a place another batch holds (that batch gives it back without a
        /// word to this one). <see cref="DateTimeOffset.MaxValue"/> when only an attempt's end can change anything.
        /// </summary>
        public static DateTimeOffset Next(DateTimeOffset now, DateTimeOffset nextStart, IReadOnlyCollection<BookInFlight> flights,
            IReadOnlyList<StageSettings> stages, IReadOnlyDictionary<string, StageGate> gates)
        {
            var wake = nextStart;
            void Before(DateTimeOffset time)
            {
                if (time > now && time < wake) wake = time;
            }
            var idle = flights.Where(f => f.Phase != FlightPhase.Running).ToList();
            foreach (var flight in flights) Before(flight.Deadline);
            foreach (var flight in idle)
            {
                Before(flight.NotBefore);
                // A window already open means the book waits for a place or for room: an attempt's end wakes the loop.
                if (flight.Phase == FlightPhase.Parked) Before(gates[stages[flight.Stage].Name].NextOpening(now));
            }
            if (idle.Any(f => f.Phase != FlightPhase.Ready && f.Stage < stages.Count && gates[stages[f.Stage].Name].HeldElsewhere))
                Before(now + StageGate.ForeignPoll);
            return wake;
        }
    }
}
