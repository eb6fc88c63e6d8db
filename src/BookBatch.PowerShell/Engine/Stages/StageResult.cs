namespace BookBatch.Engine.Stages
{
    /// <summary>How an attempt ended.</summary>
    public enum StageResult
    {
        /// <summary>Exit code 0 (or a script that finished without a terminating error or exit code).</summary>
        Succeeded,
        /// <summary>A non-zero exit code, a terminating error, or a stage that could not start.</summary>
        Failed,
        /// <summary>The attempt ran past its time-out; its process tree was ended.</summary>
        TimedOut,
        /// <summary>The batch was stopped (Ctrl+C); the process tree was ended.</summary>
        Canceled,
        /// <summary>The stage said "not now" (its defer exit code, or retryAfterSeconds in its outputs): the book waits.</summary>
        Deferred,
        /// <summary>
        /// Not run: the publishing stage's earlier attempt was cut off and nobody can tell whether it published (no
        /// verify command, or it could not tell). The book waits for the operator's word.
        /// </summary>
        Review,
    }
}
