namespace BookBatch.Engine.Ledger
{
    /// <summary>Where a book stands in the ledger.</summary>
    /// <remarks>Based on long: ConvertTo-Json writes such an enum by name, not as a number (docs/DECISIONS.md).</remarks>
    public enum BookState : long
    {
        /// <summary>Not in the database.</summary>
        New = 0,
        /// <summary>In the database with no status, or one BookBatch does not know (treated as new, like the old system).</summary>
        Unknown = 1,
        /// <summary>Started and not finished: the next batch resumes it.</summary>
        Processing = 2,
        /// <summary>Published: the next batch skips it.</summary>
        Done = 3,
    }
}
