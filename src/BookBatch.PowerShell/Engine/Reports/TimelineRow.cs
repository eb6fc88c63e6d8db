using System;
using BookBatch.Engine.Batches;
using System.Collections.Generic;

namespace BookBatch.Engine.Reports
{
    /// <summary>One book's row of a batch's timeline: its span and one bar per stage attempt.</summary>
    public sealed class TimelineRow
    {
        /// <summary>The book's place in the batch's input.</summary>
        public int Index { get; set; }
        /// <summary>The book (<c>Title | Author</c>).</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>When the batch began the book (its result's start, else its first attempt's); null when it was not begun.</summary>
        public DateTimeOffset? Began { get; set; }
        /// <summary>When it finished; null while it runs.</summary>
        public DateTimeOffset? Finished { get; set; }
        /// <summary>Its outcome; null while it runs.</summary>
        public string? Outcome { get; set; }
        /// <summary>Why it was skipped or failed.</summary>
        public string? Reason { get; set; }
        /// <summary>Its attempts, oldest first; a running one has no end.</summary>
        public List<AttemptRecord> Bars { get; set; } = new();
    }
}
