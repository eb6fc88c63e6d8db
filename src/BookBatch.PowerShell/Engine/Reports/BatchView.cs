using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Reports
{
    /// <summary>A batch: counts, percentages, failures, timeline.</summary>
    public sealed class BatchView
    {
        /// <summary>The batch id.</summary>
        public string Id { get; set; } = string.Empty;
        /// <summary>When it started.</summary>
        public DateTimeOffset? Started { get; set; }
        /// <summary>True while its process runs and its journal has no end.</summary>
        public bool Running { get; set; }
        /// <summary>True when it ended before every book was worked on (stopped, or its process died).</summary>
        public bool Interrupted { get; set; }
        /// <summary>Books in the plan.</summary>
        public int Planned { get; set; }
        /// <summary>Books with a result.</summary>
        public int Finished { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Success { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Resumed { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Failed { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Skipped { get; set; }
        /// <summary>Finished books, in percent of the plan.</summary>
        public double Percent { get; set; }
        /// <summary>Published books (Success and Resumed), in percent of the finished ones.</summary>
        public double SuccessPercent { get; set; }
        /// <summary>The failed books, with their reasons.</summary>
        public List<FailureView> Failures { get; set; } = new();
        /// <summary>The timeline as HTML (SVG); only for the batches shown in detail.</summary>
        public string? TimelineHtml { get; set; }
    }
}
