using System;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Who may start a stage now, asked of the workspace (see docs/ARCHITECTURE.md): at most <see cref="StageSettings.Concurrency"/>
    /// attempts across every batch of the workspace, at most <see cref="StageRate.Starts"/> starts in any window of
    /// <see cref="StageRate.Window"/> across batches and days, and none while the stage has said "not now". Used by
    /// the scheduler's one thread only; it keeps what it learnt (this batch's own attempts, when the window reopens) so
    /// that a stage the batch itself fills costs no file.
    /// </summary>
    internal sealed class StageGate
    {
        /// <summary>How often a book waiting for a place that other batches hold looks again: they cannot tell us.</summary>
        public static readonly TimeSpan ForeignPoll = TimeSpan.FromMilliseconds(200);

        private readonly StageSettings _stage;
        private readonly IWorkspaceCoordination _coordination;
        private readonly IRateWindow _window;
        private DateTimeOffset _closedUntil = DateTimeOffset.MinValue;

        public StageGate(StageSettings stage, IWorkspaceCoordination coordination)
        {
            _stage = stage;
            _coordination = coordination;
            _window = coordination.RateOf(stage);
        }

        /// <summary>How many attempts of the stage this batch runs.</summary>
        public int Running { get; private set; }

        /// <summary>True when the last try found every place taken, some by other batches (or their leftovers).</summary>
        public bool HeldElsewhere { get; private set; }

        /// <summary>False while the rate window (or a "not now") is known to be closed.</summary>
        public bool IsOpen(DateTimeOffset now) => now >= _closedUntil;

        /// <summary>
        /// Takes a place and counts a start, when both are free now: a hold on the place (released by the returned
        /// value's Dispose), or null with <paramref name="closed"/> true when the window is closed (the book waits
        /// for it without a place) and false when every place is taken.
        /// </summary>
        public StagePlace? TryStart(DateTimeOffset now, CancellationToken cancellation, out bool closed)
        {
            closed = false;
            IStageSlot? slot = null;
            if (_stage.Concurrency > 0)
            {
                HeldElsewhere = false;
                if (Running >= _stage.Concurrency) return null;
                slot = _coordination.TryTakeSlot(_stage);
                if (slot is null)
                {
                    HeldElsewhere = true;
                    return null;
                }
            }
            bool started;
            DateTimeOffset opening;
            try { started = _window.TryStart(now, cancellation, out opening); }
            catch (OperationCanceledException)
            {
                slot?.Dispose(); // stopping: nothing more starts
                return null;
            }
            if (!started)
            {
                slot?.Dispose();
                _closedUntil = opening;
                closed = true;
                return null;
            }
            Running++;
            return new StagePlace(this, slot);
        }

        /// <summary>When the window (or the "not now") next lets a start through.</summary>
        public DateTimeOffset NextOpening(DateTimeOffset now) => _closedUntil > now ? _closedUntil : now;

        /// <summary>The stage said "not now": no batch of the workspace starts it before <paramref name="until"/>.</summary>
        public void Block(DateTimeOffset until, DateTimeOffset now)
        {
            _window.Block(until, now);
            if (until > _closedUntil) _closedUntil = until;
        }

        /// <summary>An attempt of the stage ended its hold on its place.</summary>
        internal void Released() => Running--;
    }
}
