using System;
using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using Xunit;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>
    /// The scheduler's rules, each on a real <see cref="BatchRunner"/> with stages the test ends and a clock it moves:
    /// no process, no wall time.
    /// </summary>
    public class SchedulerRulesTests
    {
        private static BatchOptions Options(int throttle = 1, double delaySeconds = 0, double bookTimeoutSeconds = 3600) =>
            new() { ThrottleLimit = throttle, Delay = TimeSpan.FromSeconds(delaySeconds), BookTimeout = TimeSpan.FromSeconds(bookTimeoutSeconds) };

        private static bool Succeed(FakeAttempt attempt)
        {
            attempt.Succeed();
            return true;
        }

        [Fact]
        public void ARenderWithConcurrencyOneNeverRunsTwice()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"prepare\"}", "{\"name\": \"render\", \"concurrency\": 1}", "{\"name\": \"upload\", \"concurrency\": 2}" });
            batch.Start(Options(throttle: 4), "One", "Two", "Three", "Four", "Five");
            Assert.Equal(4, batch.Runner.Running.Count(a => a.Stage == "prepare")); // the throttle lets four books in

            var results = batch.Drive(Succeed);

            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.Equal(1, batch.Runner.MostAtOnce("render"));
            Assert.InRange(batch.Runner.MostAtOnce("upload"), 1, 2);
            Assert.True(batch.Observer.Waited("Two", BookWaitKind.Place) || batch.Observer.Waited("Three", BookWaitKind.Place));
        }

        [Fact]
        public void TheThrottleHoldsTheBookBeyondIt()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"prepare\"}", "{\"name\": \"render\"}" });
            batch.Start(Options(throttle: 2), "One", "Two", "Three");
            Assert.Equal(new[] { "One", "Two" }, batch.Runner.Running.Select(a => a.Title).OrderBy(t => t));

            var results = batch.Drive(Succeed);

            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.Equal(2, batch.Runner.Attempts.GroupBy(a => a.Stage).Max(g => batch.Runner.MostAtOnce(g.Key)));
            var third = batch.Runner.Attempts.First(a => a.Title == "Three");
            Assert.True(batch.Runner.Attempts.Any(a => a.Title != "Three" && a.Stage == "render" && a.EndedAt <= third.StartedAt),
                "the third book started before a book ahead of it had finished");
        }

        [Fact]
        public void ARetryWaitsItsBackoffAndHoldsNoPlace()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\", \"concurrency\": 1, \"retries\": 1, \"retryDelaySeconds\": 10}" });
            batch.Start(Options(throttle: 2), "One", "Two");

            var results = batch.Drive(a =>
            {
                if (a.Title == "One" && a.Number == 1) a.Fail();
                else a.Succeed();
                return true;
            });

            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            var (failed, retry) = (batch.AttemptsOf("One", "render")[0], batch.AttemptsOf("One", "render")[1]);
            var other = batch.AttemptsOf("Two", "render").Single();
            Assert.True(retry.StartedAt - failed.EndedAt!.Value >= TimeSpan.FromSeconds(5), "the retry did not wait its back-off (at least half of 10 s)");
            Assert.True(retry.StartedAt - failed.EndedAt!.Value <= TimeSpan.FromSeconds(15), "the retry waited more than its back-off");
            Assert.True(other.StartedAt < failed.EndedAt!.Value + TimeSpan.FromSeconds(5), "the other book did not get the place during the back-off");
            Assert.True(batch.Observer.Waited("One", BookWaitKind.Retry));
        }

        [Fact]
        public void OnlyRetryableExitCodesAreRetried()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\", \"retries\": 3, \"retryDelaySeconds\": 1, \"retryExitCodes\": [3]}" });
            batch.Start(Options(), "One");

            var result = batch.Drive(a =>
            {
                a.Fail(a.Number == 1 ? 3 : 2);
                return true;
            }).Single();

            Assert.True(result.Outcome == BookOutcome.Failed, result.Reason + result.Error);
            Assert.Equal(2, batch.AttemptsOf("One", "render").Count);
            Assert.Contains("stage 'render' failed", result.Error);
        }

        [Fact]
        public void AStageTimeOutFailsTheBookAfterItsRetries()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\", \"retries\": 2, \"retryDelaySeconds\": 1}", "{\"name\": \"upload\"}" });
            batch.Start(Options(), "One");

            var result = batch.Drive(a =>
            {
                a.TimeOut();
                return true;
            }).Single();

            Assert.Equal(BookOutcome.Failed, result.Outcome);
            Assert.Equal(3, batch.AttemptsOf("One", "render").Count);
            Assert.Empty(batch.AttemptsOf("One", "upload"));
            Assert.Equal(BookState.Processing, batch.Entry("One")!.State); // stopped at its stage, to be tried again
            Assert.Contains("stage 'render' failed", batch.Entry("One")!.LastError);
        }

        [Fact]
        public void ABookTimeOutStopsItsStage()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"prepare\"}", "{\"name\": \"render\"}" });
            batch.Start(Options(bookTimeoutSeconds: 30), "One");

            var result = batch.Drive(a => a.Stage == "prepare" && Succeed(a)).Single(); // the render never ends by itself

            var render = batch.AttemptsOf("One", "render").Single();
            Assert.Equal(StageResult.Canceled, render.Result);
            Assert.Equal(TimeSpan.FromSeconds(30), render.EndedAt - batch.AttemptsOf("One", "prepare").Single().StartedAt);
            Assert.Equal(BookOutcome.Failed, result.Outcome);
            Assert.Contains("timed out after 30 s during stage 'render'", result.Error);
        }

        [Fact]
        public void ABookBegunDuringTheLastStageOfTheOneBeforeItHasItsWholeTimeLeft()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"prepare\"}", "{\"name\": \"shorts\"}" });
            batch.Start(Options(bookTimeoutSeconds: 8), "One", "Two");
            batch.Act(() => batch.Runner.Running.Single().Succeed()); // One's prepare: its shorts runs, and Two is begun
            Assert.Equal(BookState.Processing, batch.Entry("Two")!.State);
            batch.Clock.Advance(TimeSpan.FromSeconds(6)); // nothing is due yet: One's time ends at 8 s

            batch.Act(() => batch.Runner.Running.Single().Succeed()); // One's shorts, 6 s after Two was begun

            // Two's eight seconds count from its first stage, not from when it was begun.
            var twoStarted = batch.AttemptsOf("Two", "prepare").Single().StartedAt;
            Assert.Equal(twoStarted + TimeSpan.FromSeconds(8), batch.Clock.NextDue);
            batch.Clock.Advance(TimeSpan.FromSeconds(7));
            var results = batch.Drive(Succeed);
            Assert.Equal(new[] { ("One", BookOutcome.Success), ("Two", BookOutcome.Success) }, results.Select(r => (r.Title, r.Outcome)));
        }

        [Fact]
        public void InterruptRecordsRunningStagesAsInterrupted()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" });
            batch.Start(Options(throttle: 2), "One", "Two", "Three");

            batch.Stop();
            var results = batch.Results();

            Assert.All(batch.Runner.Attempts, a => Assert.Equal(StageResult.Canceled, a.Result));
            Assert.All(results, r => Assert.Equal((BookOutcome.Skipped, SkipReason.Interrupted), (r.Outcome, r.SkipReason)));
            Assert.Contains("during stage 'render'", results[0].Reason);
            Assert.DoesNotContain("during stage", results[2].Reason); // never begun
        }

        [Fact]
        public void ADrainStartsNothingMoreAndLetsRunningStagesEnd()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\"}" });
            batch.Start(Options(throttle: 2), "One", "Two", "Three");

            batch.Act(batch.Drain);
            Assert.Equal(2, batch.Runner.Running.Count(a => !a.Ended)); // the drain ends nothing
            batch.Act(() => batch.Runner.Running.Single(a => a.Title == "One").Succeed());
            var results = batch.Drive(Succeed);

            Assert.Equal(StageResult.Succeeded, batch.AttemptsOf("One", "render").Single().Result);
            Assert.Equal(StageResult.Succeeded, batch.AttemptsOf("Two", "render").Single().Result);
            Assert.Empty(batch.AttemptsOf("One", "upload"));
            Assert.Empty(batch.AttemptsOf("Three", "render"));
            Assert.All(results, r => Assert.Equal((BookOutcome.Skipped, SkipReason.Interrupted), (r.Outcome, r.SkipReason)));
            Assert.Equal(BookState.Processing, batch.Entry("One")!.State); // the next batch resumes it at upload
        }

        [Fact]
        public void AClosedAdmissionBeginsNoBookAndLetsTheBooksBegunGoToTheirEnd()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\"}" });
            batch.Start(Options(throttle: 2), "One", "Two", "Three");

            batch.CloseAdmission(); // seen at the loop's next turn: it wakes for nothing else
            var results = batch.Drive(Succeed);

            Assert.Equal(new[] { ("One", BookOutcome.Success), ("Two", BookOutcome.Success) }, results.Take(2).Select(r => (r.Title, r.Outcome)));
            Assert.Single(batch.AttemptsOf("One", "upload")); // its next stage ran
            Assert.Equal((BookOutcome.Skipped, SkipReason.Interrupted), (results[2].Outcome, results[2].SkipReason));
            Assert.Contains("the queue was paused", results[2].Reason);
            Assert.Empty(batch.AttemptsOf("Three", "render"));
        }

        [Fact]
        public void AnInterruptionDuringADrainEndsTheStagesStillRunning()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" });
            batch.Start(Options(throttle: 2), "One", "Two");

            batch.Act(batch.Drain);
            batch.Act(() => batch.Runner.Running.Single(a => a.Title == "One").Succeed());
            batch.Stop();
            var results = batch.Results();

            Assert.Equal(BookOutcome.Success, results.Single(r => r.Title == "One").Outcome);
            Assert.Equal(StageResult.Canceled, batch.AttemptsOf("Two", "render").Single().Result);
            Assert.Equal((BookOutcome.Skipped, SkipReason.Interrupted), results.Select(r => (r.Outcome, r.SkipReason)).Last());
        }

        [Fact]
        public void ACutOffPublicationGoesToReviewWithoutVerify()
        {
            using (var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\", \"publishing\": true}" }))
            {
                batch.Start(Options(), "One");
                batch.Act(() => batch.Runner.Running.Single().Succeed());
                Assert.Equal("upload", batch.Runner.Running.Single().Stage);

                batch.Stop();
                var result = batch.Results().Single();

                Assert.Equal((BookOutcome.Skipped, SkipReason.Review), (result.Outcome, result.SkipReason));
                Assert.Equal("upload", batch.Entry("One")!.Review);

                batch.Start(Options(), "One"); // the next batch
                var second = batch.Results().Single();
                Assert.Equal((BookOutcome.Skipped, SkipReason.Review), (second.Outcome, second.SkipReason));
                Assert.Single(batch.AttemptsOf("One", "upload")); // never run again
            }
        }

        [Fact]
        public void RateWindowHoldsTheThirdStart()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"upload\", \"rate\": {\"starts\": 2, \"perSeconds\": 3600}, \"maxWaitSeconds\": 7200}" });
            batch.Start(Options(throttle: 3, bookTimeoutSeconds: 7200), "One", "Two", "Three"); // a book's time counts while it waits
            Assert.Equal(2, batch.Runner.Running.Count);

            var results = batch.Drive(Succeed);

            Assert.All(results, r => Assert.True(r.Outcome == BookOutcome.Success, r.Reason + r.Error));
            var first = batch.AttemptsOf("One", "upload").Single();
            var third = batch.AttemptsOf("Three", "upload").Single();
            Assert.Equal(TimeSpan.FromHours(1), third.StartedAt - first.StartedAt);
            Assert.True(batch.Observer.Waited("Three", BookWaitKind.Quota));
        }

        [Fact]
        public void ARateWindowBeyondMaxWaitHoldsTheBookAtItsStage()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\", \"rate\": {\"starts\": 1, \"perSeconds\": 86400}}" });
            batch.Start(Options(throttle: 2), "One", "Two");

            var results = batch.Drive(Succeed);

            var done = results.Single(r => r.Outcome == BookOutcome.Success); // the one whose render ended first
            var held = results.Single(r => r.Outcome != BookOutcome.Success);
            Assert.Equal((BookOutcome.Skipped, SkipReason.Quota), (held.Outcome, held.SkipReason));
            Assert.Contains("waiting for stage 'upload'", held.Reason);
            Assert.Empty(batch.AttemptsOf(held.Title, "upload"));
            Assert.Single(batch.AttemptsOf(done.Title, "upload"));
            Assert.Equal(BookState.Done, batch.Entry(done.Title)!.State);
            Assert.Equal(BookState.Processing, batch.Entry(held.Title)!.State); // the next batch carries on
            Assert.Contains("waiting for stage 'upload'", batch.Entry(held.Title)!.LastError);
        }

        [Fact]
        public void AStageThatSaysNotNowForAWhileIsTriedAgainAfterIt()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"upload\", \"maxWaitSeconds\": 120}" });
            batch.Start(Options(), "Patient");

            var result = batch.Drive(a =>
            {
                if (a.Number == 1) a.Defer(seconds: 7);
                else a.Succeed();
                return true;
            }).Single();

            Assert.Equal(BookOutcome.Success, result.Outcome);
            var attempts = batch.AttemptsOf("Patient", "upload");
            Assert.Equal(new StageResult?[] { StageResult.Failed, StageResult.Succeeded }, attempts.Select(a => a.Result));
            Assert.Equal(TimeSpan.FromSeconds(7), attempts[1].StartedAt - attempts[0].EndedAt);
            var recorded = RunFolder.ReadDetails(batch.RunFolderPath(result.RunFolder!))!.Stages.Single(s => s.Name == "upload").Attempts;
            Assert.Equal(new[] { "Deferred", "Succeeded" }, recorded.Select(a => a.Result));
        }

        [Fact]
        public void AFailedStageIsRetriedWithGrowingBackoffUntilItsRetriesAreSpent()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"process\", \"retries\": 3, \"retryDelaySeconds\": 10}", "{\"name\": \"tts\"}" });
            batch.Start(Options(), "Flaky");

            var result = batch.Drive(a =>
            {
                a.Fail(3);
                return true;
            }).Single();

            Assert.Equal(BookOutcome.Failed, result.Outcome);
            var attempts = batch.AttemptsOf("Flaky", "process");
            Assert.Equal(new[] { 1, 2, 3, 4 }, attempts.Select(a => a.Number));
            Assert.Empty(batch.AttemptsOf("Flaky", "tts"));
            // Retry n waits 10 s × 2^(n-1) × [0.5, 1.5).
            var gaps = Enumerable.Range(1, 3).Select(i => (attempts[i].StartedAt - attempts[i - 1].EndedAt!.Value).TotalSeconds).ToArray();
            Assert.InRange(gaps[0], 5, 15);
            Assert.InRange(gaps[1], 10, 30);
            Assert.InRange(gaps[2], 20, 60);
            var recorded = RunFolder.ReadDetails(batch.RunFolderPath(result.RunFolder!))!.Stages.Single(s => s.Name == "process").Attempts;
            Assert.Equal(new[] { 1, 2, 3, 4 }, recorded.Select(a => a.Attempt));
            Assert.All(recorded, a => Assert.Equal(3, a.ExitCode));
        }

        [Fact]
        public void AStageThatSaysNotNowWaitsWithoutCountingAsAFailure()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"upload\", \"maxWaitSeconds\": 120}" });
            batch.Start(Options(), "One");

            var result = batch.Drive(a =>
            {
                if (a.Number == 1) a.Defer();
                else a.Succeed();
                return true;
            }).Single();

            Assert.Equal(BookOutcome.Success, result.Outcome);
            var attempts = batch.AttemptsOf("One", "upload");
            Assert.Equal(2, attempts.Count);
            Assert.Equal(TimeSpan.FromMinutes(1), attempts[1].StartedAt - attempts[0].EndedAt); // no window: a minute
        }

        [Fact]
        public void AFinishedBooksDoneIsWrittenWithTheNextStart()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" });
            batch.Start(Options(delaySeconds: 10), "One", "Two");

            batch.Clock.Advance(TimeSpan.FromSeconds(20)); // the next book's delay is long over (nothing to wake for: no room)
            batch.Act(() => batch.Runner.Running.Single().Succeed());

            Assert.Equal(BookState.Done, batch.Entry("One")!.State);
            Assert.Contains(batch.Coordination.Writes, w => w.SequenceEqual(new[] { "One", "Two" }));
            var results = batch.Drive(Succeed);
            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.DoesNotContain(batch.Coordination.Writes, w => w.Contains("(the whole ledger)"));
        }

        [Fact]
        public void OnAStoreThatFencesAFinishedBooksDoneIsWrittenAtOnceUnderItsOwnHold()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" }, fences: true);
            batch.Start(Options(delaySeconds: 10), "One", "Two");

            batch.Act(() => batch.Runner.Running.Single().Succeed());

            Assert.Equal(BookState.Done, batch.Entry("One")!.State); // before the next book began
            Assert.Equal(new[] { "One" }, batch.Coordination.Writes[^1]);
            batch.Drive(Succeed);
            Assert.DoesNotContain(batch.Coordination.Writes, w => w.Length > 1);
        }

        [Fact]
        public void ABookWhoseHoldIsLostHasItsStageStoppedAndNothingMoreRecorded()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\"}" }, fences: true);
            batch.Start(Options(throttle: 2), "One", "Two");
            var writes = batch.Coordination.Writes.Count;

            batch.Act(() => batch.Coordination.Lose("One"));
            var results = batch.Drive(Succeed);

            var one = results.Single(r => r.Title == "One");
            Assert.Equal((BookOutcome.Skipped, SkipReason.InProgress), (one.Outcome, one.SkipReason));
            Assert.Contains("no longer held by this batch", one.Reason);
            Assert.Equal(StageResult.Canceled, batch.AttemptsOf("One", "render").Single().Result);
            Assert.Empty(batch.AttemptsOf("One", "upload"));
            Assert.Equal(BookState.Processing, batch.Entry("One")!.State); // its last write was its start
            Assert.DoesNotContain(batch.Coordination.Writes.Skip(writes), w => w.Contains("One"));
            Assert.Equal(BookOutcome.Success, results.Single(r => r.Title == "Two").Outcome);
        }

        [Fact]
        public void AStageThatEndsAfterItsBookWasTakenOverRecordsNoEndInTheRunFolder()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}", "{\"name\": \"upload\"}" }, fences: true);
            batch.Start(Options(), "One");

            batch.Coordination.TakeOver("One");
            var results = batch.Drive(Succeed);

            var one = results.Single();
            Assert.Equal((BookOutcome.Skipped, SkipReason.InProgress), (one.Outcome, one.SkipReason));
            Assert.Empty(batch.AttemptsOf("One", "upload"));
            var details = BookBatch.Engine.Runs.RunFolder.ReadDetails(batch.RunFolderPath(one.RunFolder!))!;
            Assert.Null(details.Stage("render").Attempts.Single().Ended); // started here, its end left to the new holder
            Assert.True(details.Stage("render").Attempts.Single().Gone);  // but its process is over: the new holder need not wait
            Assert.Equal(BookState.Processing, batch.Entry("One")!.State);
        }

        [Fact]
        public void AStageLeftRunningOnAnotherServerHoldsItsBookUntilItIsGoneOrItsHoldersLeaseAndTheWatchdogsTimeHavePassed()
        {
            using var batch = LeftOnAnotherServer(recordedGone: false);

            batch.Start(Options(), "One");
            var held = batch.Drive(Succeed).Single();
            Assert.Equal((BookOutcome.Skipped, SkipReason.InProgress), (held.Outcome, held.SkipReason));
            Assert.Contains("may still run at another-server", held.Reason);
            Assert.Single(batch.AttemptsOf("One", "render"));

            batch.Clock.Advance(TimeSpan.FromSeconds(5));
            batch.Start(Options(), "One");
            var resumed = batch.Drive(Succeed).Single();
            Assert.Equal(BookOutcome.Resumed, resumed.Outcome);
            Assert.Equal(2, batch.AttemptsOf("One", "render").Count);
        }

        [Fact]
        public void AStageRecordedGoneOnAnotherServerIsTakenUpAtOnce()
        {
            using var batch = LeftOnAnotherServer(recordedGone: true);

            batch.Start(Options(), "One");
            Assert.Equal(BookOutcome.Resumed, batch.Drive(Succeed).Single().Outcome);
        }

        // Book "One", whose render a batch on another server began and lost: its attempt recorded there with no end,
        // and recorded gone or not; a hold taken now says that server's stages may run for 5 s more.
        private static SchedulerHarness LeftOnAnotherServer(bool recordedGone)
        {
            var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" }, fences: true);
            batch.Start(Options(), "One");
            batch.Coordination.TakeOver("One");
            var details = Path.Combine(batch.RunFolderPath(batch.Drive(Succeed).Single().RunFolder!), "bookbatch-run.jsonl");
            File.WriteAllLines(details, File.ReadAllLines(details).Where(l => recordedGone || !l.Contains("\"event\":\"gone\""))
                .Select(l => l.Replace(ProcessPlace.Current, "another-server", StringComparison.Ordinal)));
            batch.Coordination.ElsewhereUntil = batch.Clock.Now + TimeSpan.FromSeconds(5);
            return batch;
        }

        [Fact]
        public void TheDelayBetweenBooksIsKept()
        {
            using var batch = new SchedulerHarness(new[] { "{\"name\": \"render\"}" });
            batch.Start(Options(throttle: 3, delaySeconds: 10), "One", "Two", "Three");

            batch.Drive(Succeed);

            var starts = batch.Runner.Attempts.Select(a => a.StartedAt).ToList();
            Assert.Equal(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) }, starts.Skip(1).Zip(starts, (b, a) => b - a));
            Assert.True(batch.Observer.Waited("Two", BookWaitKind.Delay));
        }
    }
}
