using System;
using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class SkipReasonTests
    {
        private static readonly DateTimeOffset Day = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

        private static BookBatchResult Skipped(int index, SkipReason why, string reason) =>
            new("20260101-100000-abcd", index, "Book " + index, null, BookOutcome.Skipped, reason, null, null, null, null,
                Array.Empty<string>(), Day, Day, why);

        [Fact]
        public void AJournalKeepsTheCategoryBesideTheOldReasonText()
        {
            using var temp = new TempWorkspace();
            string path;
            using (var journal = BatchJournal.Create(temp.Workspace, "20260101-100000-abcd"))
            {
                path = journal.Path;
                journal.Result(Skipped(1, SkipReason.Quota, "waiting for stage 'upload': its quota allows the next start at 2026-01-01 11:00:00; the next batch carries on"));
                journal.Result(new BookBatchResult("20260101-100000-abcd", 2, "Done", null, BookOutcome.Success, null, null, "https://x.example/v",
                    null, null, Array.Empty<string>(), Day, Day));
            }
            var lines = File.ReadAllLines(path);
            Assert.Contains("\"skipReason\":\"Quota\"", lines[0]);
            Assert.Contains("\"reason\":\"waiting for stage 'upload'", lines[0]);
            Assert.DoesNotContain("skipReason", lines[1]);

            var read = BatchJournal.ReadContents(path, "20260101-100000-abcd").Results;
            Assert.Equal(new[] { SkipReason.Quota, SkipReason.None }, read.OrderBy(r => r.Index).Select(r => r.SkipReason));
        }

        [Theory]
        [InlineData("Already completed", SkipReason.AlreadyDone)]
        [InlineData("listed twice in this batch", SkipReason.ListedTwice)]
        [InlineData("declined at the confirmation", SkipReason.Declined)]
        [InlineData("interrupted", SkipReason.Interrupted)]
        [InlineData("interrupted during stage 'render'", SkipReason.Interrupted)]
        [InlineData("needs review: stage 'upload' may have published. If it published, record it: Complete-Book 'X' -YouTubeUrl <url>", SkipReason.Review)]
        [InlineData("in progress in another batch: batch b1 (process 42 on host)", SkipReason.InProgress)]
        [InlineData("in progress: stage 'upload' of batch b1 is still running as process 42", SkipReason.InProgress)]
        [InlineData("completed by another batch since the plan", SkipReason.CompletedSinceThePlan)]
        [InlineData("waiting for stage 'upload': its quota allows the next start at 2026-01-01 11:00:00; the next batch carries on", SkipReason.Quota)]
        [InlineData("stage 'upload' was stopped (the batch was interrupted) before it reported a URL; the next batch asks its verify command whether it published", SkipReason.AwaitsVerify)]
        [InlineData("something a later version says", SkipReason.Other)]
        public void AnOlderJournalWithoutTheCategoryIsReadFromItsText(string reason, SkipReason expected)
        {
            using var temp = new TempWorkspace();
            var path = Path.Combine(temp.Workspace.Root, "batches", "20251201-100000-old0.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var quoted = System.Text.Json.JsonSerializer.Serialize(reason);
            File.WriteAllText(path,
                "{\"event\":\"result\",\"index\":1,\"title\":\"Old\",\"author\":null,\"outcome\":\"Skipped\",\"reason\":" + quoted +
                ",\"error\":null,\"stagesRun\":[],\"started\":\"2025-12-01T10:00:00+00:00\",\"finished\":\"2025-12-01T10:00:01+00:00\"}\n");

            var result = Assert.Single(BatchJournal.ReadContents(path, "20251201-100000-old0").Results);

            Assert.Equal(expected, result.SkipReason);
            Assert.Equal(expected == SkipReason.Review, result.NeedsReview);
        }

        [Fact]
        public void AnOlderJournalsWorkedBookHasNoCategory()
        {
            Assert.Equal(SkipReason.None, SkipReasons.FromOldText(BookOutcome.Failed, "interrupted"));
            Assert.Equal(SkipReason.None, SkipReasons.FromOldText(BookOutcome.Success, "Already completed"));
        }

        [Fact]
        public void NeedsReviewReadsTheCategoryNotTheText()
        {
            Assert.True(Skipped(1, SkipReason.Review, "the operator decides").NeedsReview);
            Assert.False(Skipped(2, SkipReason.Interrupted, SkipReasons.ReviewPrefix + "looks like review but is not").NeedsReview);
        }

        [Fact]
        public void TheReviewTextNamesTheStageAndBothWaysOut()
        {
            var text = SkipReasons.Review("Deep Work", "upload", null);
            Assert.StartsWith(SkipReasons.ReviewPrefix + "stage 'upload' may have published", text);
            Assert.Contains("Complete-Book 'Deep Work' -YouTubeUrl <url>", text);
            Assert.Contains("Reset-Book 'Deep Work' -FromStage upload", text);
        }
    }
}
