namespace BookBatch.Engine.Ledger
{
    /// <summary>Where a book stands in the ledger.</summary>
    public enum BookState
    {
        /// <summary>Not in the database.</summary>
        New = 0,
        /// <summary>In the database with no status, or one BookBatch does not know (treated as new, like the seed).</summary>
        Unknown = 1,
        /// <summary>Started and not finished: the next batch resumes it.</summary>
        Processing = 2,
        /// <summary>Published: the next batch skips it.</summary>
        Done = 3,
    }
}
