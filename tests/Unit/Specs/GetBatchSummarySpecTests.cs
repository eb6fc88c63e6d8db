using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Get-BatchSummary.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class GetBatchSummarySpecTests
    {
        [Fact]
        public void SumsUpARealBatchOfASuccessAFailureAndASkip()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            // Books run one at a time: the next book's stages start only after the last stage of the one before it, so
            // tts fails for 'Broken' (and not for 'New One') once 'New One' has reached its last stage.
            batch.HoldAt("shorts", 1);
            var (ps, running) = batch.Start("'New One', 'Broken', 'Done' | Invoke-BookBatch | Get-BatchSummary");
            BatchSummary summary;
            using (ps)
            {
                Assert.True(BatchFixture.WaitUntil(() => batch.Runs("shorts", "New One") > 0), "'New One' never reached its last stage");
                batch.FailAt("tts");
                summary = (BatchSummary)ps.EndInvoke(running).Single().BaseObject;
            }

            Assert.Equal((3, 1, 0, 1, 1), (summary.Total, summary.Success, summary.Resumed, summary.Failed, summary.Skipped));
            Assert.Equal(new[] { 33.4, 0, 33.3, 33.3 }, new[] { summary.SuccessPercent, summary.ResumedPercent, summary.FailedPercent, summary.SkippedPercent });
            Assert.Equal(100m, (decimal)summary.SuccessPercent + (decimal)summary.ResumedPercent + (decimal)summary.FailedPercent + (decimal)summary.SkippedPercent);
            Assert.False(summary.Interrupted);
            Assert.Equal(3, summary.Planned);
            Assert.NotNull(summary.BatchId);
            Assert.True(File.Exists(batch.Session.PathOf("batches", summary.BatchId + ".jsonl")));
            var failed = Assert.Single(summary.FailedBooks);
            Assert.Equal("Broken", failed.Title);
            Assert.Contains("stage 'tts' failed", failed.Error);
            Assert.Equal("New One", Assert.Single(summary.SuccessBooks).Title);
            Assert.Equal("Already completed", Assert.Single(summary.SkippedBooks).Reason);
            Assert.Equal(new[] { 1, 2, 3 }, summary.Results.Select(r => r.Index));
        }

        [Fact]
        public void SummarizesTheLastRealBatchAndTheLatestOnesNewestFirst()
        {
            using var batch = new BatchFixture();
            var first = batch.Session.Run("'One' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single();
            // Batch ids begin with the second the batch started: let the second batch start in another one.
            Thread.Sleep(1100);
            Assert.Empty(batch.Session.Run("'One', 'Two' | Invoke-BookBatch -WhatIf").Succeeded().Output);
            var second = batch.Session.Run("'One' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single();

            var last = batch.Session.Run("Get-BatchSummary").Succeeded().Objects<BatchSummary>().Single();
            var lastOne = batch.Session.Run("Get-BatchSummary -Last 1").Succeeded().Objects<BatchSummary>().Single();
            var lastTen = batch.Session.Run("Get-BatchSummary -Last 10").Succeeded().Objects<BatchSummary>().ToList();

            Assert.NotEqual(first.BatchId, second.BatchId);
            Assert.Equal((second.BatchId, 1, 1, 100.0), (last.BatchId, last.Total, last.Skipped, last.SkippedPercent));
            Assert.Equal(second.BatchId, lastOne.BatchId);
            Assert.Equal(new[] { second.BatchId, first.BatchId }, lastTen.Select(s => s.BatchId));
            Assert.Equal((1, 100.0), (lastTen[1].Success, lastTen[1].SuccessPercent));
        }
    }
}
