using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Coordination
{
    /// <summary>
    /// The promise across processes (docs/ARCHITECTURE.md, "Resume" and "A batch"): batches in processes of their own,
    /// killed or stopped with real signals, a stage left running by a dead host, a publishing stage cut off, limits and
    /// quotas of the workspace.
    /// </summary>
    public class CrossProcessTests
    {
        private static BookBatchResult[] Results(Hosting.PipelineResult result) => result.Objects<BookBatchResult>().ToArray();

        private static string StatusAction(BatchFixture batch, string title) =>
            batch.Session.Run("(Get-BookStatus -Title $args[0]).Action.ToString()", title).Succeeded().Output.Single().ToString();

        // A batch process whose upload has started, killed with its stages, or (withStages false) with its stage
        // watchdog only, so that the stage runs on as an orphan: as when host and watchdog die together (for
        // holdSeconds: by default 3 s when it outlives its host, so that it ends on its own).
        internal static Process KillHostDuringUpload(BatchFixture batch, string title, bool withStages, double? holdSeconds = null)
        {
            batch.HoldAt("upload", holdSeconds ?? (withStages ? 30 : 3));
            var child = batch.StartBatchProcess(batch.WriteBooks(title));
            Assert.True(BatchFixture.WaitUntil(() => batch.Runs("upload") == 1, 60), "the upload did not start");
            System.Threading.Thread.Sleep(300); // its attempt is recorded once its process runs
            if (withStages) child.Kill(entireProcessTree: true);
            else StageWatchdogs.KillWithHost(child);
            child.WaitForExit();
            return child;
        }

        [UnixFact]
        public void AStageLeftRunningByAKilledHostHoldsItsBookAndIsRecoveredFromItsOutputs()
        {
            using var batch = new BatchFixture();
            using var child = KillHostDuringUpload(batch, "Orphan Upload", withStages: false);

            // The host is gone but its upload runs on: the book is in progress, and nothing of it runs again.
            var held = Results(batch.Session.Run("'Orphan Upload' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Skipped, held.Outcome);
            Assert.Matches(@"stage 'upload' of batch \S+ is still running as process \d+", held.Reason);
            batch.Session.Run("'Orphan Upload' | Invoke-BookBatch -WhatIf").Succeeded();
            Assert.Matches(@"Orphan Upload\s+Processing\s+InProgress\s+in progress: stage 'upload'", batch.Session.ScreenText);
            Assert.Contains("0 to skip, 1 in progress elsewhere;", batch.Session.ScreenText);
            Assert.Equal(1, batch.Runs("upload"));

            // Once it has ended, its outputs say it published: the book is finished from them, not uploaded again.
            batch.WaitForLeftovers(60);
            var done = Results(batch.Session.Run("'Orphan Upload' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, done.Outcome);
            Assert.Equal("https://youtube.example/watch?v=OrphanUpload", done.YouTubeUrl);
            Assert.Equal(1, batch.Runs("upload"));
            Assert.Equal(1, batch.Runs("shorts"));
        }

        [Fact]
        public void APublishingStageCutOffWithoutAUrlWaitsForTheOperatorAndIsNeverUploadedAgainOnItsOwn()
        {
            using var batch = new BatchFixture();
            using var child = KillHostDuringUpload(batch, "Cut Off", withStages: true);
            batch.WaitForLeftovers();
            File.Delete(batch.Session.PathOf("hold-upload"));

            var first = Results(batch.Session.Run("'Cut Off' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Skipped, first.Outcome);
            Assert.StartsWith("needs review: stage 'upload' (attempt 1, batch ", first.Reason);
            Assert.Contains("Complete-Book 'Cut Off' -YouTubeUrl", first.Reason);
            Assert.Contains("Reset-Book 'Cut Off' -FromStage upload", first.Reason);
            Assert.Equal("Review", StatusAction(batch, "Cut Off"));
            Assert.Equal(BookOutcome.Skipped, Results(batch.Session.Run("'Cut Off' | Invoke-BookBatch").Succeeded()).Single().Outcome);
            Assert.Equal(1, batch.Runs("upload"));

            // The operator says it did not publish: the next batch uploads it, with the same idempotency key.
            batch.Session.Run("Reset-Book 'Cut Off' -FromStage upload -Confirm:$false").Succeeded();
            Assert.Equal("Resume", StatusAction(batch, "Cut Off"));
            var again = Results(batch.Session.Run("'Cut Off' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, again.Outcome);
            Assert.Equal(2, batch.Runs("upload"));
            var keys = batch.Keys().Where(k => k.Stage == "upload").Select(k => k.Key).Distinct().ToArray();
            Assert.Single(keys);
            Assert.Matches("^bookbatch-[0-9a-f]{24}$", keys[0]);
        }

        [Fact]
        public void TheOperatorsWordThatItPublishedFinishesAReviewedBook()
        {
            using var batch = new BatchFixture();
            using var child = KillHostDuringUpload(batch, "Said Published", withStages: true);
            batch.WaitForLeftovers();
            // The plan of the next batch knows from the dead batch's records alone, before any batch met the book.
            batch.Session.Run("'Said Published' | Invoke-BookBatch -WhatIf").Succeeded();
            Assert.Matches(@"Said Published\s+Processing\s+Review\s+needs review: stage 'upload'", batch.Session.ScreenText);
            Assert.Contains("0 to skip, 1 waiting for your review;", batch.Session.ScreenText);

            batch.Session.Run("Complete-Book 'Said Published' -YouTubeUrl https://youtube.example/watch?v=told -Confirm:$false").Succeeded();
            var skipped = Results(batch.Session.Run("'Said Published' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal((BookOutcome.Skipped, "https://youtube.example/watch?v=told"), (skipped.Outcome, skipped.YouTubeUrl));
            Assert.Equal(1, batch.Runs("upload"));
        }

        [Theory]
        [InlineData("published", "Resumed", 1)]
        [InlineData("not", "Resumed", 2)]
        [InlineData("cannot tell", "Skipped", 1)]
        public void AVerifyCommandSettlesACutOffUpload(string answer, string outcome, int uploads)
        {
            var assembly = typeof(CrossProcessTests).Assembly.Location;
            using var batch = new BatchFixture(stageExtra: name => name == "upload"
                ? "\"verify\": {\"command\": \"dotnet\", \"arguments\": [" + System.Text.Json.JsonSerializer.Serialize(assembly) + ", \"verify\"]}"
                : null);
            using var child = KillHostDuringUpload(batch, "Verified", withStages: true);
            batch.WaitForLeftovers();
            File.Delete(batch.Session.PathOf("hold-upload"));
            batch.VerifyAnswers(answer);

            var result = Results(batch.Session.Run("'Verified' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(outcome, result.Outcome.ToString());
            Assert.Equal(uploads, batch.Runs("upload"));
            Assert.Equal(1, batch.VerifyRuns());
            if (answer == "cannot tell") Assert.Contains("its verify command could not tell", result.Reason);
            else Assert.Equal("https://youtube.example/watch?v=Verified", result.YouTubeUrl);
            // The verify command is asked with the upload's own idempotency key.
            var uploadKey = batch.Keys().First(k => k.Stage == "upload").Key;
            Assert.EndsWith("\t" + uploadKey, File.ReadAllLines(batch.Session.PathOf("verify-runs.log")).Single());
        }

        [UnixTheory]
        [InlineData("TERM")]
        [InlineData("HUP")]
        public void ATerminationSignalStopsTheBatchLikeCtrlCEndingItsStagesAndItsJournal(string signal)
        {
            using var batch = new BatchFixture();
            batch.SleepAt("tts", 30);
            using var child = batch.StartBatchProcess(batch.WriteBooks("Terminated"));
            Assert.True(BatchFixture.WaitUntil(() => File.Exists(batch.Session.PathOf("pids-tts")), 60), "tts did not start");
            System.Threading.Thread.Sleep(300);
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, child.Id.ToString() } })!) kill.WaitForExit();
            Assert.True(child.WaitForExit(15000), "the host did not end on SIG" + signal);

            batch.AssertProcessesGone("tts", 1);
            var journal = Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl").Single();
            var end = File.ReadAllLines(journal).Last();
            Assert.Contains("\"event\":\"end\"", end);
            Assert.Contains("\"interrupted\":true", end);
            var run = batch.Session.Run("Get-BookRun 'Terminated'").Succeeded().Objects<BookBatch.Engine.Runs.BookRun>().Single();
            Assert.Equal(BookBatch.Engine.Runs.StageState.Interrupted, run.Stages.Single(s => s.Name == "tts").State);
            // Interrupted, not failed: the next batch resumes at tts.
            File.Delete(batch.Session.PathOf("sleep-tts"));
            var resumed = Results(batch.Session.Run("'Terminated' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal((BookOutcome.Resumed, "tts"), (resumed.Outcome, resumed.StagesRun[0]));
        }

        [Fact]
        public void AStagesConcurrencyHoldsAcrossBatchesInDifferentProcesses()
        {
            using var batch = new BatchFixture(stageExtra: name => name == "render" ? "\"concurrency\": 1" : null);
            batch.HoldAt("render", 0.6);
            var first = batch.WriteBooks("Left A", "Left B");
            var second = Path.Combine(batch.Workspace, "more.txt");
            File.WriteAllText(second, "Right A\nRight B\n");
            using var one = batch.StartBatchProcess(first, throttle: 2);
            using var two = batch.StartBatchProcess(second, throttle: 2);
            Assert.True(one.WaitForExit(120000) && two.WaitForExit(120000), "the batches did not end");

            var renders = batch.Intervals().Where(i => i.Stage == "render").OrderBy(i => i.Start).ToArray();
            Assert.Equal(4, renders.Length);
            for (var i = 1; i < renders.Length; i++)
                Assert.True(renders[i].Start >= renders[i - 1].End, $"two renders at once: {renders[i - 1].Title} and {renders[i].Title}");
        }

        [Fact]
        public void AStagesRateHoldsForLaterBatches()
        {
            using var batch = new BatchFixture(stageExtra: name => name == "upload" ? "\"rate\": {\"starts\": 2, \"perSeconds\": 3600}" : null);
            var first = Results(batch.Session.Run("'Quota One', 'Quota Two', 'Quota Three' | Invoke-BookBatch").Succeeded());
            Assert.Equal(new[] { BookOutcome.Success, BookOutcome.Success, BookOutcome.Skipped }, first.Select(r => r.Outcome));
            // A later batch — a new process would see the same — finds the window still full.
            var later = Results(batch.Session.Run("'Quota Four' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Skipped, later.Outcome);
            Assert.Matches(@"waiting for stage 'upload': its quota allows the next start at", later.Reason);
            Assert.Equal(2, batch.Runs("upload"));
        }

        [Fact]
        public void CmdletsRefuseABookALiveBatchHoldsUnlessForced()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("search", 30);
            using var other = new Hosting.PowerShellSession(createWorkspaceFolder: false);
            using var shell = System.Management.Automation.PowerShell.Create();
            shell.Runspace = other.Runspace;
            shell.AddScript("param($w) 'Busy Book' | Invoke-BookBatch -Workspace $w").AddArgument(batch.Workspace);
            shell.BeginInvoke();
            {
                Assert.True(BatchFixture.WaitUntil(() => batch.Runs("search") == 1, 60));
                var database = File.ReadAllBytes(batch.Session.PathOf("database.json"));
                foreach (var command in new[] { "Reset-Book 'Busy Book'", "Complete-Book 'Busy Book' -YouTubeUrl https://youtube.example/x", "Remove-Book 'Busy Book'" })
                {
                    var refused = batch.Session.Run(command + " -Confirm:$false");
                    Assert.Equal(new[] { "BookInProgress" }, refused.ErrorIds);
                    Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, refused.Errors[0].CategoryInfo.Category);
                    Assert.Contains("'Busy Book' is in progress in another batch: batch ", refused.Errors[0].ToString());
                    Assert.Contains("-Force", refused.Errors[0].ToString());
                }
                Assert.Equal(new[] { "BookInProgress" }, batch.Session.Run("Repair-BookDatabase -Confirm:$false").ErrorIds);
                Assert.Equal(database, File.ReadAllBytes(batch.Session.PathOf("database.json")));
                Assert.Equal("InProgress", StatusAction(batch, "Busy Book"));

                batch.Session.Run("Reset-Book 'Busy Book' -Force -Confirm:$false").Succeeded();
                shell.Stop();
            }
        }

        [UnixFact]
        public void CmdletsRefuseABookWhoseStageAKilledHostLeftRunning()
        {
            using var batch = new BatchFixture();
            using var child = KillHostDuringUpload(batch, "Left Running", withStages: false);
            var refused = batch.Session.Run("Reset-Book 'Left Running' -FromStage upload -Confirm:$false");
            Assert.Equal(new[] { "BookInProgress" }, refused.ErrorIds);
            Assert.Matches(@"stage 'upload' of batch \S+ is still running as process \d+", refused.Errors[0].ToString());
            Assert.Equal("InProgress", StatusAction(batch, "Left Running"));
            batch.WaitForLeftovers(60);
            Assert.Equal("Resume", StatusAction(batch, "Left Running"));
        }

        // A host killed between starting a stage's process and recording it left only the attempt's token: the line
        // that names the process is taken out of the run folder's details, as if the kill had come before it.
        [LinuxFact]
        public void AStageWhoseHostDiedBeforeRecordingItsProcessIsFoundByItsTokenAndHoldsItsBook()
        {
            using var batch = new BatchFixture();
            using var child = KillHostDuringUpload(batch, "Unrecorded Upload", withStages: false, holdSeconds: 4);
            var details = Directory.GetFiles(batch.Session.PathOf("runs"), "bookbatch-run.jsonl", SearchOption.AllDirectories).Single();
            var lines = File.ReadAllLines(details);
            Assert.Contains(lines, l => l.Contains("\"event\":\"attempt\"") && l.Contains("\"stage\":\"upload\"") && l.Contains("\"token\":"));
            File.WriteAllLines(details, lines.Where(l => !(l.Contains("\"event\":\"process\"") && l.Contains("\"stage\":\"upload\""))));
            var attempt = BookBatch.Engine.Runs.RunFolder.ReadDetails(Path.GetDirectoryName(details)!)!.Stage("upload").Attempts.Single();
            Assert.Null(attempt.Pid);

            var held = Results(batch.Session.Run("'Unrecorded Upload' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Skipped, held.Outcome);
            Assert.Matches(@"stage 'upload' of batch \S+ is still running as process \d+", held.Reason);
            Assert.Equal("InProgress", StatusAction(batch, "Unrecorded Upload"));
            Assert.Equal(1, batch.Runs("upload"));

            batch.WaitForLeftovers(60);
            var done = Results(batch.Session.Run("'Unrecorded Upload' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, done.Outcome);
            Assert.Equal(1, batch.Runs("upload"));
        }
    }
}
