using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Batches;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// What a stage reports is checked before it is recorded: only an http(s) youtube_url makes a book published, and a
    /// book that ends every stage without one is not silently Done. A failed stage's reason says why it failed.
    /// </summary>
    public class StageReportTests
    {
        [Theory]
        [InlineData("javascript:alert(1)")]
        [InlineData("file:///etc/passwd")]
        [InlineData("ftp://videos.example/watch")]
        [InlineData("not a url")]
        public void AUrlThatIsNotHttpOrHttpsIsNeverRecordedAndTheBookIsNotPublished(string url)
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("url-upload"), url);

            var result = batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0");

            var book = Assert.Single(result.Objects<BookBatchResult>());
            Assert.NotEqual(BookOutcome.Success, book.Outcome);
            Assert.Null(book.YouTubeUrl);
            Assert.Contains("not an http or https URL", book.Reason);
            Assert.Contains("Complete-Book", book.Reason);
            var status = batch.Session.Run("Get-BookStatus 'Atomic Habits'").Objects<BookStatus>().Single();
            Assert.NotEqual(BookState.Done, status.Status);
            Assert.Null(status.YouTubeUrl);
            Assert.Equal(BookAction.Review, status.Action); // never uploaded again blindly
            Assert.DoesNotContain("shorts", batch.StageRuns().Select(r => r.Stage));

            // The next batch does not upload it again.
            batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0");
            Assert.Equal(1, batch.Runs("upload"));
        }

        [Fact]
        public void AnHttpsUrlIsRecorded()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("url-upload"), "https://videos.example/watch?v=1");
            var book = Assert.Single(batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0").Succeeded().Objects<BookBatchResult>());
            Assert.Equal((BookOutcome.Success, "https://videos.example/watch?v=1"), (book.Outcome, book.YouTubeUrl));
        }

        [Fact]
        public void ABookThatEndsEveryStageWithoutAUrlIsNotSilentlyDone()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("url-upload"), "");

            var result = batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0 -WarningVariable w -WarningAction SilentlyContinue; $w");

            var warning = Assert.Single(result.Objects<WarningRecord>());
            Assert.Contains("none reported a youtube_url", warning.Message);
            Assert.Contains("\"requireUrl\": false", warning.Message);
            var book = Assert.Single(result.Objects<BookBatchResult>());
            Assert.NotEqual(BookOutcome.Success, book.Outcome);
            Assert.NotEqual(BookState.Done, batch.Session.Run("Get-BookStatus 'Atomic Habits'").Objects<BookStatus>().Single().Status);
        }

        [Fact]
        public void RequireUrlFalseLetsAPipelineThatPublishesNothingFinish()
        {
            using var batch = new BatchFixture(extraSettings: "\"requireUrl\": false");
            File.WriteAllText(batch.Session.PathOf("url-upload"), "");

            var result = batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0 -WarningVariable w -WarningAction SilentlyContinue; $w").Succeeded();

            Assert.Empty(result.Objects<WarningRecord>());
            Assert.Equal(BookOutcome.Success, Assert.Single(result.Objects<BookBatchResult>()).Outcome);
        }

        [Fact]
        public void AFailedStagesReasonCarriesTheLastLineOfItsErrorOutput()
        {
            using var batch = new BatchFixture();
            batch.FailAt("render");

            var book = Assert.Single(batch.Session.Run("'Atomic Habits' | Invoke-BookBatch -DelaySeconds 0").Objects<BookBatchResult>());

            Assert.Equal("stage 'render' failed: exit code 3: render fails on purpose", book.Error);
            var status = batch.Session.Run("Get-BookStatus 'Atomic Habits'").Objects<BookStatus>().Single();
            Assert.Contains("render fails on purpose", status.LastError);
        }
    }
}
