namespace BookBatch.Engine.Reports
{
    /// <summary>A failed book of a batch: why, and the tail of its failed stage's log.</summary>
    public sealed class FailureView
    {
        /// <summary>The book.</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>The stage that failed.</summary>
        public string? Stage { get; set; }
        /// <summary>Why.</summary>
        public string? Error { get; set; }
        /// <summary>The last lines of the stage's log.</summary>
        public string? LogTail { get; set; }
    }
}
