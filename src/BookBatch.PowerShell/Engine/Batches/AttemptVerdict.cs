using System;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The verdict on one attempt: from its outcome, its stage's settings, how many attempts of the stage failed before
    /// it in this batch and the time it ended, what comes next for its book. One pure function, read by the batch's
    /// scheduler and by the dashboard (which shows a retry's time as the scheduler would decide it, at the mean jitter).
    /// </summary>
    public sealed class AttemptVerdict
    {
        private AttemptVerdict(VerdictKind kind, DateTimeOffset? at, string? reason)
        {
            Kind = kind;
            At = at;
            Reason = reason;
        }

        /// <summary>What comes next.</summary>
        public VerdictKind Kind { get; }

        /// <summary>For a retry, when its back-off is over; for a wait, when the stage may start again.</summary>
        public DateTimeOffset? At { get; }

        /// <summary>Why the book waits for review or stopped, as the stage said it.</summary>
        public string? Reason { get; }

        /// <summary>
        /// Decides. <paramref name="failuresBefore"/> counts the failed attempts of the stage in this batch before this
        /// one; <paramref name="stopping"/> says the batch is being stopped; <paramref name="jitter"/> is the back-off's
        /// factor in [0.5, 1.5) (1: the mean).
        /// </summary>
        public static AttemptVerdict Of(StageOutcome outcome, StageSettings stage, int failuresBefore, bool stopping, DateTimeOffset now, double jitter)
        {
            switch (outcome.Result)
            {
                case StageResult.Succeeded:
                    return new AttemptVerdict(VerdictKind.NextStage, null, null);
                case StageResult.Deferred:
                    return new AttemptVerdict(VerdictKind.Wait, now + (outcome.RetryAfter ?? DefaultDeferral(stage)), outcome.Error);
                case StageResult.Review:
                    return new AttemptVerdict(VerdictKind.Review, null, outcome.Error);
                case StageResult.Canceled:
                    return new AttemptVerdict(stopping ? VerdictKind.Interrupted : VerdictKind.TimedOut, null, outcome.Error);
                default:
                    if (failuresBefore < stage.Retries && stage.IsRetryable(outcome.ExitCode) && !stopping)
                        return new AttemptVerdict(VerdictKind.Retry, now + Backoff(stage, failuresBefore + 1, jitter), outcome.Error);
                    return new AttemptVerdict(VerdictKind.Failed, null, $"stage '{stage.Name}' failed: {outcome.Error}");
            }
        }

        /// <summary>
        /// The back-off before retry number <paramref name="retry"/>: RetryDelay × 2^(retry-1) × <paramref name="jitter"/>,
        /// at most RetryMaxDelay.
        /// </summary>
        public static TimeSpan Backoff(StageSettings stage, int retry, double jitter)
        {
            var factor = Math.Pow(2, retry - 1) * jitter;
            return TimeSpan.FromMilliseconds(Math.Min(stage.RetryDelay.TotalMilliseconds * factor, stage.RetryMaxDelay.TotalMilliseconds));
        }

        /// <summary>How long a stage is held back after a "not now" that named no time: its rate window, else a minute.</summary>
        public static TimeSpan DefaultDeferral(StageSettings stage) => stage.Rate?.Window ?? TimeSpan.FromMinutes(1);
    }
}
