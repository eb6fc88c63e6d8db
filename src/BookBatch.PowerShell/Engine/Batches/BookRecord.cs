using System;

namespace BookBatch.Engine.Batches
{
    /// <summary>A book's line of the plan, and its result once the batch wrote one.</summary>
    public sealed class BookRecord
    {
        /// <summary>The book's place in the batch's input (1-based).</summary>
        public int Index { get; set; }
        /// <summary>The book, as the journal writes it (<c>Title | Author</c>).</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>What the plan decided (Process, Resume, Skip, InProgress, Review).</summary>
        public string Action { get; set; } = string.Empty;
        /// <summary>The book's result; null while the batch works on it (or was killed before it ended).</summary>
        public BookBatchResult? Result { get; set; }
    }
}
