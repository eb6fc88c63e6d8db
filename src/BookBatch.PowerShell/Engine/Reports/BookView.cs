namespace BookBatch.Engine.Reports
{
    /// <summary>What a book in flight is doing, or waiting for.</summary>
    public sealed class BookView
    {
        /// <summary>The batch that holds it (null for a book in Review).</summary>
        public string? Batch { get; set; }
        /// <summary>The book's title.</summary>
        public string Title { get; set; } = string.Empty;
        /// <summary>The book's author.</summary>
        public string? Author { get; set; }
        /// <summary>running, slot, quota, retry, review or queued.</summary>
        public string State { get; set; } = string.Empty;
        /// <summary>The stage it runs or waits to run.</summary>
        public string? Stage { get; set; }
        /// <summary>The state in words ("tts, attempt 2", "a place of render (1 of 1 in use)", "quota until 14:05").</summary>
        public string Text { get; set; } = string.Empty;
        /// <summary>Seconds since the batch began the book.</summary>
        public double Elapsed { get; set; }
        /// <summary>Seconds the remaining stages are expected to take, from the stages' recent durations; null when unknown.</summary>
        public double? Eta { get; set; }
    }
}
