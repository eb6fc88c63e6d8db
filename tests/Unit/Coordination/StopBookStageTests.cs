using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Coordination
{
    /// <summary>
    /// Stop-BookStage (docs/ARCHITECTURE.md, "Resume"): an operator ends on purpose the stage process a killed host
    /// left running, and the book is then as if that process had ended by itself. A live batch is never its business.
    /// </summary>
    public class StopBookStageTests
    {
        // The leftover's attempt as its run folder records it: the attempt with no end whose process still runs.
        private static (string Folder, AttemptDetails Attempt) Leftover(BatchFixture batch)
        {
            var folder = Directory.GetDirectories(batch.Session.PathOf("runs")).Single();
            var live = RunFolder.ReadDetails(folder)?.LiveAttempt();
            Assert.True(live is not null, "no stage process of the killed batch runs");
            return (folder, live!.Value.Attempt);
        }

        private static string StatusAction(BatchFixture batch, string title) =>
            batch.Session.Run("(Get-BookStatus -Title $args[0]).Action.ToString()", title).Succeeded().Output.Single().ToString();

        // Every file of the workspace that records something, with its content's hash: what -WhatIf must leave alone.
        private static string[] Snapshot(BatchFixture batch)
        {
            using var sha = SHA256.Create();
            return new[] { "database.json", "runs", "batches" }
                .Select(p => batch.Session.PathOf(p))
                .SelectMany(p => File.Exists(p) ? new[] { p } : Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories) : Array.Empty<string>())
                .Where(p => !p.EndsWith(".lock", StringComparison.Ordinal)) // lock files are probed, never written
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => Path.GetRelativePath(batch.Workspace, p) + " " + Convert.ToHexString(sha.ComputeHash(File.ReadAllBytes(p))))
                .ToArray();
        }

        [UnixFact]
        public void EndsTheUploadAKilledHostLeftRunningAndTheBookWaitsForReviewInsteadOfUploadingAgain()
        {
            using var batch = new BatchFixture();
            using var child = CrossProcessTests.KillHostDuringUpload(batch, "Left Behind", withStages: false, holdSeconds: 30);
            var (folder, attempt) = Leftover(batch);
            var process = attempt.Process!.Value;
            Assert.Equal("InProgress", StatusAction(batch, "Left Behind"));

            var result = batch.Session.Run("Stop-BookStage 'Left Behind' -Confirm:$false -PassThru 3>&1").Succeeded();

            // It waited for the process to be gone before it returned.
            Assert.True(BatchFixture.WaitUntil(() => !process.IsAlive(), 3), $"process {process.Pid} still runs");
            var ended = RunFolder.ReadDetails(folder)!.Stage("upload").Attempts.Single();
            Assert.Equal(attempt.Attempt, ended.Attempt);
            Assert.NotNull(ended.Ended);
            Assert.Equal(nameof(StageResult.Canceled), ended.Result);
            Assert.StartsWith("cut off", ended.Error);

            // The upload was cut off without a URL and has no verify command: nobody knows whether it published.
            var warning = result.Objects<WarningRecord>().Single().Message;
            Assert.Contains("stage 'upload' was ended before it reported a URL, so it may have published", warning);
            Assert.Contains("Complete-Book 'Left Behind' -YouTubeUrl <url>", warning);
            Assert.Contains("Reset-Book 'Left Behind' -FromStage upload", warning);
            var status = result.Objects<BookStatus>().Single();
            Assert.Equal(("Left Behind", BookAction.Review), (status.Title, status.Action));
            Assert.Equal("Review", StatusAction(batch, "Left Behind"));

            // The next batch does not upload it again.
            var next = batch.Session.Run("'Left Behind' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single();
            Assert.Equal(BookOutcome.Skipped, next.Outcome);
            Assert.StartsWith("needs review:", next.Reason);
            Assert.Equal(1, batch.Runs("upload"));
            Assert.Equal(0, batch.Runs("shorts"));
        }

        [UnixFact]
        public void WhatIfSaysWhichProcessItWouldEndAndEndsNothing()
        {
            using var batch = new BatchFixture();
            using var child = CrossProcessTests.KillHostDuringUpload(batch, "Only Asked", withStages: false, holdSeconds: 30);
            var (_, attempt) = Leftover(batch);
            var process = attempt.Process!.Value;
            var before = Snapshot(batch);

            batch.Session.Run("Stop-BookStage 'Only Asked' -WhatIf").Succeeded();

            Assert.Contains($"What if: Performing the operation \"End stage 'upload' (process {process.Pid}, left running by batch {attempt.Batch})\" on target \"Only Asked\"",
                batch.Session.ScreenText);
            System.Threading.Thread.Sleep(500); // a kill would have taken effect by now
            Assert.True(process.IsAlive(), "-WhatIf ended the process");
            Assert.Equal(before, Snapshot(batch));
            Assert.Equal("InProgress", StatusAction(batch, "Only Asked"));

            // Not left for 30 s after the test.
            batch.Session.Run("Stop-BookStage 'Only Asked' -Confirm:$false -WarningAction SilentlyContinue").Succeeded();
            Assert.False(process.IsAlive());
        }

        [Fact]
        public void ABookWithNothingRunningIsBookStageNotRunning()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'Idle Book', 'Finished Book' | Add-Book").Succeeded();
            batch.Session.Run("'Finished Book' | Invoke-BookBatch").Succeeded();
            var before = Snapshot(batch);

            var idle = batch.Session.Run("Stop-BookStage 'Idle Book' -Confirm:$false; 'Finished Book' | Stop-BookStage -Confirm:$false; 'went on'");

            Assert.Equal(new[] { "BookStageNotRunning", "BookStageNotRunning" }, idle.ErrorIds);
            Assert.All(idle.Errors, e => Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category));
            Assert.Equal("Idle Book", idle.Errors[0].TargetObject?.ToString());
            Assert.StartsWith("Nothing runs for 'Idle Book': it has no run folder.", idle.Errors[0].ToString());
            Assert.StartsWith("Nothing runs for 'Finished Book': no stage process of its run folder ", idle.Errors[1].ToString());
            Assert.Equal("went on", idle.Output.Single().ToString()); // non-terminating
            Assert.Equal(before, Snapshot(batch));

            var unknown = batch.Session.Run("Stop-BookStage 'Never Added' -Confirm:$false");
            Assert.Equal(new[] { "BookNotFound" }, unknown.ErrorIds);
        }

        [Fact]
        public void ABookALiveBatchHoldsIsBookInProgressAndItsStageRunsOn()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("search", 30);
            using var other = new Hosting.PowerShellSession(createWorkspaceFolder: false);
            using var shell = PowerShell.Create();
            shell.Runspace = other.Runspace;
            shell.AddScript("param($w) 'Busy Book' | Invoke-BookBatch -Workspace $w").AddArgument(batch.Workspace);
            shell.BeginInvoke();
            try
            {
                Assert.True(BatchFixture.WaitUntil(() => batch.Runs("search") == 1, 60), "the search did not start");
                System.Threading.Thread.Sleep(300); // its attempt is recorded once its process runs
                var (_, attempt) = Leftover(batch);

                var refused = batch.Session.Run("Stop-BookStage 'Busy Book' -Confirm:$false");

                Assert.Equal(new[] { "BookInProgress" }, refused.ErrorIds);
                Assert.Equal(ErrorCategory.ResourceBusy, refused.Errors[0].CategoryInfo.Category);
                var message = refused.Errors[0].ToString();
                Assert.StartsWith("'Busy Book' is in progress in another batch: batch ", message);
                Assert.Contains("Ctrl+C in its own console", message);
                Assert.DoesNotContain("-Force", message);
                Assert.True(attempt.Process!.Value.IsAlive(), "the live batch's stage was ended");
            }
            finally
            {
                shell.Stop();
            }
        }
    }
}
