namespace BookBatch.Engine.Runs
{
    /// <summary>Where a stage of a book's run stands.</summary>
    public enum StageState
    {
        /// <summary>Not run yet in this run folder (or set back by Reset-Book -FromStage).</summary>
        NotRun,
        /// <summary>An attempt is running now: it has not ended, and the batch that started it still holds the book.</summary>
        Running,
        /// <summary>
        /// Started and never finished: stopped with Ctrl+C, or its process died during it. It is not done; the next
        /// batch runs it again.
        /// </summary>
        Interrupted,
        /// <summary>Done: it never runs again for this run folder.</summary>
        Succeeded,
        /// <summary>Failed after its retries (or timed out); the next batch runs it again.</summary>
        Failed,
    }
}
