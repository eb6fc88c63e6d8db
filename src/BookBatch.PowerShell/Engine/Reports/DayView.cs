using System.Collections.Generic;

namespace BookBatch.Engine.Reports
{
    /// <summary>One day of the history.</summary>
    public sealed class DayView
    {
        /// <summary>The day (local time), yyyy-MM-dd.</summary>
        public string Day { get; set; } = string.Empty;
        /// <summary>Batches started that day.</summary>
        public int Batches { get; set; }
        /// <summary>Books those batches finished.</summary>
        public int Books { get; set; }
        /// <summary>Books published (Success, Resumed).</summary>
        public int Published { get; set; }
        /// <summary>Books failed.</summary>
        public int Failed { get; set; }
        /// <summary>The ids of the day's batches (the newest 20).</summary>
        public List<string> Ids { get; set; } = new();
    }
}
