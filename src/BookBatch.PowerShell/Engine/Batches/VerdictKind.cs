namespace BookBatch.Engine.Batches
{
    /// <summary>What an attempt's end means for its book (see <see cref="AttemptVerdict"/>).</summary>
    public enum VerdictKind
    {
        /// <summary>The stage succeeded: the book goes on with its next owed stage.</summary>
        NextStage,
        /// <summary>The attempt failed and may be tried again once its back-off is over (<see cref="AttemptVerdict.At"/>).</summary>
        Retry,
        /// <summary>The stage said "not now": nobody starts it before <see cref="AttemptVerdict.At"/>, and the book waits without a place.</summary>
        Wait,
        /// <summary>Nobody can tell whether the stage published: the book waits for the operator.</summary>
        Review,
        /// <summary>The batch was stopped while the stage ran.</summary>
        Interrupted,
        /// <summary>The book's own time-out ended the stage.</summary>
        TimedOut,
        /// <summary>The attempt failed and is not tried again: the book stops at this stage.</summary>
        Failed,
    }
}
