namespace BookBatch.Engine.Batches
{
    /// <summary>How a book came out of a batch.</summary>
    /// <remarks>Based on long: ConvertTo-Json writes such an enum by name, not as a number (docs/DECISIONS.md).</remarks>
    public enum BookOutcome : long
    {
        /// <summary>Processed from the start and published.</summary>
        Success,
        /// <summary>Resumed where it stopped and published.</summary>
        Resumed,
        /// <summary>A stage failed (after its retries) or the book timed out; it resumes next time.</summary>
        Failed,
        /// <summary>Not worked on: already done, declined, held by another batch, or the batch was interrupted.</summary>
        Skipped,
    }
}
