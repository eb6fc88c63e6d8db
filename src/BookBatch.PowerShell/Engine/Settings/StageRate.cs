using System;

namespace BookBatch.Engine.Settings
{
    /// <summary>A rate limit: at most <see cref="Starts"/> starts in any window of <see cref="Window"/>.</summary>
    public sealed class StageRate
    {
        internal StageRate(int starts, TimeSpan window)
        {
            Starts = starts;
            Window = window;
        }

        /// <summary>The most starts in one window.</summary>
        public int Starts { get; }
        /// <summary>The window's length.</summary>
        public TimeSpan Window { get; }
    }
}
