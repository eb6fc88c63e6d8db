using System;
using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Engine.Settings
{
    /// <summary>One stage of the pipeline, as <c>bookbatch.json</c> describes it.</summary>
    public sealed class StageSettings
    {
        internal StageSettings(string name, StageKind kind, string target, IReadOnlyList<string> arguments, TimeSpan timeout,
            int retries, TimeSpan retryDelay, int concurrency, IReadOnlyList<int>? retryExitCodes = null, StageRate? rate = null,
            int deferExitCode = DefaultDeferExitCode, TimeSpan maxWait = default, TimeSpan retryMaxDelay = default,
            bool? publishing = null, StageSettings? verify = null)
        {
            Publishing = publishing ?? string.Equals(name, DefaultPublishingStage, StringComparison.OrdinalIgnoreCase);
            Verify = verify;
            RetryExitCodes = retryExitCodes;
            Rate = rate;
            DeferExitCode = deferExitCode;
            MaxWait = maxWait;
            RetryMaxDelay = retryMaxDelay == default ? TimeSpan.FromMinutes(5) : retryMaxDelay;
            Name = name;
            Kind = kind;
            Target = target;
            Arguments = arguments;
            Timeout = timeout;
            Retries = retries;
            RetryDelay = retryDelay;
            Concurrency = concurrency;
        }

        /// <summary>The stage's name: a key of <c>summary.json</c>.</summary>
        public string Name { get; }
        /// <summary>Command or Script.</summary>
        public StageKind Kind { get; }
        /// <summary>The executable (Command) or the script file, resolved against the workspace (Script).</summary>
        public string Target { get; }
        /// <summary>The arguments, each one whole argument; placeholders such as <c>{title}</c> are filled per book.</summary>
        public IReadOnlyList<string> Arguments { get; }
        /// <summary>How long one attempt may run before its process tree is ended.</summary>
        public TimeSpan Timeout { get; }
        /// <summary>How many times a failed attempt is tried again.</summary>
        public int Retries { get; }
        /// <summary>The first back-off before a retry; it doubles with each retry (with jitter).</summary>
        public TimeSpan RetryDelay { get; }
        /// <summary>How many books may run this stage at once (0: no limit).</summary>
        public int Concurrency { get; }
        /// <summary>The exit codes worth a retry; null: every failure (and every time-out) is.</summary>
        public IReadOnlyList<int>? RetryExitCodes { get; }
        /// <summary>The longest back-off before a retry.</summary>
        public TimeSpan RetryMaxDelay { get; }
        /// <summary>At most so many starts per window (the upload quota), or null.</summary>
        public StageRate? Rate { get; }
        /// <summary>The exit code by which a stage says "not now" (quota used up): the book waits, it has not failed.</summary>
        public int DeferExitCode { get; }
        /// <summary>How long a batch with nothing else to do waits for this stage's rate window to reopen.</summary>
        public TimeSpan MaxWait { get; }

        /// <summary>
        /// True for a stage whose effect outside the workspace must happen once (the upload): an attempt of it that was
        /// cut off without reporting a URL is never run again blindly: its verify command is asked, or the book waits for review.
        /// </summary>
        public bool Publishing { get; }

        /// <summary>
        /// The command that tells whether a cut-off attempt of this publishing stage published after all: exit 0 with a
        /// <c>youtube_url</c> in the outputs file = it did; exit 1 = it did not; anything else = nobody knows. Null: no
        /// verify command, so such a book goes to Review.
        /// </summary>
        public StageSettings? Verify { get; }

        /// <summary>The stage that is publishing unless bookbatch.json says otherwise.</summary>
        public const string DefaultPublishingStage = "upload";

        /// <summary>The verify command's answer that the stage did not publish.</summary>
        public const int VerifyNotPublishedExitCode = 1;

        /// <summary>The conventional "try again later" exit code (EX_TEMPFAIL).</summary>
        public const int DefaultDeferExitCode = 75;

        /// <summary>True when a failure with this exit code (null: time-out or no process) may be retried.</summary>
        public bool IsRetryable(int? exitCode) => RetryExitCodes is null || exitCode is null || RetryExitCodes.Contains(exitCode.Value);
    }
}
