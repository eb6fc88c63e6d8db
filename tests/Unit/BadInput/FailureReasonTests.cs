using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Runs;
using BookBatch.Tests.Batches;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>Failure reasons people can act on: the failed stage, its error and its log at a glance, and the log's tail from the console.</summary>
    public class FailureReasonTests
    {
        private static BatchFixture FailedAtRender()
        {
            var batch = new BatchFixture();
            batch.FailAt("render");
            batch.Session.Run("'Broken' | Invoke-BookBatch -DelaySeconds 0");
            return batch;
        }

        [Fact]
        public void GetBookRunsDefaultViewShowsTheFailedStageItsErrorAndItsLog()
        {
            using var batch = FailedAtRender();
            var run = batch.Session.Run("Get-BookRun Broken").Succeeded().Objects<BookRun>().Single();
            Assert.Equal(("render", "exit code 3: render fails on purpose"), (run.FailedStage, run.Error));
            Assert.EndsWith(Path.Combine("logs", "render.log"), run.LogPath);

            var text = string.Join("\n", batch.Session.Run("Get-BookRun Broken | Out-String -Width 250").Succeeded().Output);
            Assert.Matches(@"(?m)^FailedStage\s+: render\s*$", text);
            Assert.Matches(@"(?m)^Error\s+: exit code 3: render fails on purpose\s*$", text);
            Assert.Matches(@"(?m)^Log\s+: .*render\.log\s*$", text);
        }

        [Fact]
        public void LogShowsTheTailOfTheFailedStagesLog()
        {
            using var batch = FailedAtRender();
            var lines = batch.Session.Run("Get-BookRun Broken -Log -Tail 3").Succeeded().Objects<string>().ToList();
            Assert.Equal(3, lines.Count);
            // The stage's two streams are read side by side: their lines may interleave either way.
            Assert.Contains("[error] render fails on purpose", lines.Take(2));
            Assert.Contains("exited with code 3", lines[2]);
        }

        [Fact]
        public void LogOfAnotherStageAndOfAStageThatIsNotThere()
        {
            using var batch = FailedAtRender();
            Assert.Contains("search ran for Broken", batch.Session.Run("Get-BookRun Broken -Log -Stage search").Succeeded().Objects<string>());

            var missing = batch.Session.Run("Get-BookRun Broken -Log -Stage nosuch");
            Refusal.Assert(missing, "StageNotFound", ErrorCategory.InvalidArgument, "'nosuch'", "render");
            var notRun = batch.Session.Run("Get-BookRun Broken -Log -Stage upload");
            Refusal.Assert(notRun, "StageLogNotFound", ErrorCategory.ObjectNotFound, "'upload'", "-Stage");
        }
    }
}
