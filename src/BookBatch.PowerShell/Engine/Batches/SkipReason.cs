namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Why a batch did not work a book to its end: the category of a Skipped result (and of a planned book that is not
    /// work). The result's <see cref="BookBatchResult.Reason"/> text says the same for a person; this is what code reads.
    /// </summary>
    /// <remarks>Based on long: ConvertTo-Json writes such an enum by name, not as a number (docs/DECISIONS.md).</remarks>
    public enum SkipReason : long
    {
        /// <summary>Not skipped: the book was worked on (Success, Resumed or Failed), or it is work still to do.</summary>
        None,
        /// <summary>Published already (status done).</summary>
        AlreadyDone,
        /// <summary>The book appears earlier in the same batch's input.</summary>
        ListedTwice,
        /// <summary>The operator said no at the confirmation.</summary>
        Declined,
        /// <summary>Another live batch holds the book, or a stage process a dead batch left still runs for it.</summary>
        InProgress,
        /// <summary>Another batch finished the book between this batch's plan and its start on it.</summary>
        CompletedSinceThePlan,
        /// <summary>The batch was stopped (Ctrl+C, a signal) before or while it worked on the book.</summary>
        Interrupted,
        /// <summary>A publishing stage may have published: the operator says which (Complete-Book or Reset-Book).</summary>
        Review,
        /// <summary>A publishing stage was cut off; the next batch asks its verify command whether it published.</summary>
        AwaitsVerify,
        /// <summary>A stage's rate window does not reopen within its maxWaitSeconds; the next batch carries on.</summary>
        Quota,
        /// <summary>Skipped for a reason this version does not name (a journal written by hand or by another version).</summary>
        Other,
    }
}
