using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// The keys <c>bookbatch.json</c> knows, one table per level. A key not in its level's table is refused, naming the
    /// nearest known one: a new setting is added to its table here, and read where its level is read
    /// (<see cref="PipelineSettings.Load"/> for the top level, the stages section for a stage).
    /// </summary>
    public static class SettingsKeys
    {
        /// <summary>The keys of the top-level object.</summary>
        public static readonly IReadOnlyList<string> TopLevel = new[]
        {
            "$schema", "privacy", "delaySeconds", "bookTimeoutSeconds", "throttleLimit", "stages", "requireUrl", "notifications", "store",
        };

        /// <summary>The keys of a stage (an element of <c>stages</c>).</summary>
        public static readonly IReadOnlyList<string> Stage = new[]
        {
            "name", "command", "script", "arguments", "timeoutSeconds", "retries", "retryDelaySeconds", "retryMaxDelaySeconds",
            "retryExitCodes", "concurrency", "rate", "deferExitCode", "maxWaitSeconds", "publishing", "verify",
        };

        /// <summary>The keys of a stage's <c>rate</c>.</summary>
        public static readonly IReadOnlyList<string> Rate = new[] { "starts", "perSeconds" };

        /// <summary>The keys of a publishing stage's <c>verify</c>.</summary>
        public static readonly IReadOnlyList<string> Verify = new[] { "command", "arguments", "timeoutSeconds" };
    }
}
