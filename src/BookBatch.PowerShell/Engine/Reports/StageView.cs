using System;

namespace BookBatch.Engine.Reports
{
    /// <summary>A stage's places in use against its <c>concurrency</c>, and its rate window.</summary>
    public sealed class StageView
    {
        /// <summary>The stage.</summary>
        public string Name { get; set; } = string.Empty;
        /// <summary>Its <c>concurrency</c> (0: no limit).</summary>
        public int Concurrency { get; set; }
        /// <summary>Attempts of the stage running now.</summary>
        public int InUse { get; set; }
        /// <summary>True for the stage that publishes.</summary>
        public bool Publishing { get; set; }
        /// <summary>The rate, as bookbatch.json says it (e.g. "6 per 86400 s"); null without one.</summary>
        public string? Rate { get; set; }
        /// <summary>Starts counted in the current window.</summary>
        public int StartsInWindow { get; set; }
        /// <summary>When the stage may start again, when that is later than now (the window is full, or a "not now").</summary>
        public DateTimeOffset? ClosedUntil { get; set; }
    }
}
