namespace BookBatch.Engine.Reports
{
    /// <summary>A book that failed in several batches.</summary>
    public sealed class RepeatFailure
    {
        /// <summary>The book.</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>How many batches it failed in.</summary>
        public int Failures { get; set; }
        /// <summary>Its latest error.</summary>
        public string? LastError { get; set; }
    }
}
