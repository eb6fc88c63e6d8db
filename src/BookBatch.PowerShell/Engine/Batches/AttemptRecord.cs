using System;

namespace BookBatch.Engine.Batches
{
    /// <summary>One stage attempt as a batch's journal records its end ("stage" line), or as a run folder records its start.</summary>
    public sealed class AttemptRecord
    {
        /// <summary>The book, as the journal writes it (<c>Title | Author</c>).</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>The stage.</summary>
        public string Stage { get; set; } = string.Empty;
        /// <summary>1 for the stage's first attempt in its run folder.</summary>
        public int Attempt { get; set; }
        /// <summary>Succeeded, Failed, TimedOut, Canceled, Deferred; null while it runs.</summary>
        public string? Result { get; set; }
        /// <summary>Why it did not succeed.</summary>
        public string? Error { get; set; }
        /// <summary>When it started.</summary>
        public DateTimeOffset Started { get; set; }
        /// <summary>When it ended; null while it runs.</summary>
        public DateTimeOffset? Ended { get; set; }
    }
}
