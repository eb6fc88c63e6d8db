using System;
using System.Collections.Generic;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Who may start a stage now: at most <see cref="StageSettings.Concurrency"/> running across the batch, at most
    /// <see cref="StageRate.Starts"/> starts in any window of <see cref="StageRate.Window"/>, and none while the stage
    /// has said "not now". Used by the scheduler's one thread only.
    /// </summary>
    internal sealed class StageGate
    {
        private readonly StageSettings _stage;
        private readonly Queue<DateTimeOffset> _starts = new();
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        public StageGate(StageSettings stage) => _stage = stage;

        /// <summary>How many attempts of the stage are running.</summary>
        public int Running { get; set; }

        /// <summary>True when another attempt may run at once (the concurrency limit).</summary>
        public bool HasSlot => _stage.Concurrency == 0 || Running < _stage.Concurrency;

        /// <summary>True when the rate window (and any "not now") allows a start now.</summary>
        public bool RateAllows(DateTimeOffset now)
        {
            if (now < _blockedUntil) return false;
            if (_stage.Rate is null) return true;
            while (_starts.Count > 0 && _starts.Peek() <= now - _stage.Rate.Window) _starts.Dequeue();
            return _starts.Count < _stage.Rate.Starts;
        }

        /// <summary>Counts a start.</summary>
        public void Started(DateTimeOffset now)
        {
            Running++;
            if (_stage.Rate != null) _starts.Enqueue(now);
        }

        /// <summary>When the rate window (or the "not now") next lets a start through.</summary>
        public DateTimeOffset NextOpening(DateTimeOffset now)
        {
            var opening = _blockedUntil > now ? _blockedUntil : now;
            if (_stage.Rate != null && _starts.Count >= _stage.Rate.Starts)
            {
                var windowOpens = _starts.Peek() + _stage.Rate.Window;
                if (windowOpens > opening) opening = windowOpens;
            }
            return opening;
        }

        /// <summary>The stage said "not now": no start before <paramref name="until"/>.</summary>
        public void Block(DateTimeOffset until)
        {
            if (until > _blockedUntil) _blockedUntil = until;
        }

        /// <summary>How long to hold the stage back after a "not now" that named no time: its rate window, else a minute.</summary>
        public TimeSpan DefaultDeferral => _stage.Rate?.Window ?? TimeSpan.FromMinutes(1);
    }
}
