using System;

namespace BookBatch.Engine.Stages
{
    /// <summary>The end of one attempt.</summary>
    public sealed class StageOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public StageOutcome(StageResult result, int? exitCode, string? error, TimeSpan? retryAfter = null)
        {
            Result = result;
            ExitCode = exitCode;
            Error = error;
            RetryAfter = retryAfter;
        }

        /// <summary>For a Deferred outcome: how long the stage asked to wait, when it said.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>How it ended.</summary>
        public StageResult Result { get; }
        /// <summary>The process's exit code, when there was one.</summary>
        public int? ExitCode { get; }
        /// <summary>Why it did not succeed.</summary>
        public string? Error { get; }
    }
}
