using System;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class AttemptVerdictTests
    {
        private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        private static StageSettings Stage(int retries = 2, int[]? retryExitCodes = null, StageRate? rate = null) =>
            new("render", StageKind.Command, "never-run", Array.Empty<string>(), TimeSpan.FromMinutes(5), retries, TimeSpan.FromSeconds(10), 0,
                retryExitCodes, rate, retryMaxDelay: TimeSpan.FromSeconds(30));

        private static AttemptVerdict Of(StageResult result, int? exitCode = 1, int failuresBefore = 0, bool stopping = false,
            StageSettings? stage = null, TimeSpan? retryAfter = null) =>
            AttemptVerdict.Of(new StageOutcome(result, exitCode, "why", retryAfter), stage ?? Stage(), failuresBefore, stopping, Now, 1.0);

        [Fact]
        public void ASuccessGoesOnToTheNextStage() => Assert.Equal(VerdictKind.NextStage, Of(StageResult.Succeeded, 0).Kind);

        [Fact]
        public void AFailureWithRetriesLeftIsRetriedAfterItsBackoff()
        {
            var first = Of(StageResult.Failed);
            var second = Of(StageResult.Failed, failuresBefore: 1);
            Assert.Equal((VerdictKind.Retry, Now.AddSeconds(10)), (first.Kind, first.At));
            Assert.Equal((VerdictKind.Retry, Now.AddSeconds(20)), (second.Kind, second.At));
        }

        [Fact]
        public void TheBackoffDoublesWithItsJitterAndStopsAtItsMaximum()
        {
            Assert.Equal(TimeSpan.FromSeconds(5), AttemptVerdict.Backoff(Stage(), 1, 0.5));
            Assert.Equal(TimeSpan.FromSeconds(30), AttemptVerdict.Backoff(Stage(), 3, 1.0)); // 40 s, capped
        }

        [Fact]
        public void AStageTimeOutIsRetriedLikeAFailure() => Assert.Equal(VerdictKind.Retry, Of(StageResult.TimedOut, null).Kind);

        [Fact]
        public void AFailureWithoutRetriesLeftFailsTheBook()
        {
            var verdict = Of(StageResult.Failed, failuresBefore: 2);
            Assert.Equal(VerdictKind.Failed, verdict.Kind);
            Assert.Equal("stage 'render' failed: why", verdict.Reason);
        }

        [Fact]
        public void AnExitCodeNotListedAsRetryableFailsAtOnce()
        {
            Assert.Equal(VerdictKind.Failed, Of(StageResult.Failed, 2, stage: Stage(retryExitCodes: new[] { 3 })).Kind);
            Assert.Equal(VerdictKind.Retry, Of(StageResult.Failed, 3, stage: Stage(retryExitCodes: new[] { 3 })).Kind);
        }

        [Fact]
        public void NothingIsRetriedWhileTheBatchStops() => Assert.Equal(VerdictKind.Failed, Of(StageResult.Failed, stopping: true).Kind);

        [Fact]
        public void NotNowWaitsForTheTimeTheStageNamedElseItsWindowElseAMinute()
        {
            Assert.Equal((VerdictKind.Wait, Now.AddSeconds(90)), (Of(StageResult.Deferred, retryAfter: TimeSpan.FromSeconds(90)).Kind, Of(StageResult.Deferred, retryAfter: TimeSpan.FromSeconds(90)).At));
            Assert.Equal(Now.AddHours(1), Of(StageResult.Deferred, stage: Stage(rate: new StageRate(2, TimeSpan.FromHours(1)))).At);
            Assert.Equal(Now.AddMinutes(1), Of(StageResult.Deferred).At);
        }

        [Fact]
        public void AReviewKeepsItsReason()
        {
            var verdict = Of(StageResult.Review, null);
            Assert.Equal((VerdictKind.Review, "why"), (verdict.Kind, verdict.Reason));
        }

        [Fact]
        public void ACancelledAttemptIsInterruptedWhenTheBatchStopsElseTheBookTimedOut()
        {
            Assert.Equal(VerdictKind.Interrupted, Of(StageResult.Canceled, null, stopping: true).Kind);
            Assert.Equal(VerdictKind.TimedOut, Of(StageResult.Canceled, null).Kind);
        }

        [Fact]
        public void EveryResultHasAVerdict()
        {
            foreach (StageResult result in Enum.GetValues(typeof(StageResult)))
                Assert.True(Enum.IsDefined(typeof(VerdictKind), Of(result).Kind));
        }
    }
}
