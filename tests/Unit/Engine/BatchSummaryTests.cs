using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class BatchSummaryTests
    {
        internal const string BatchId = "20250101-100000-ab12";
        private static readonly DateTimeOffset Start = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

        internal static BookBatchResult Result(int index, BookOutcome outcome, string batch = BatchId, string? error = null, string? reason = null) =>
            new(batch, index, "Book " + index, index % 2 == 0 ? "Author " + index : null, outcome, reason,
                error ?? (outcome == BookOutcome.Failed ? $"stage 'tts' failed: exit code {index}" : null),
                outcome is BookOutcome.Success or BookOutcome.Resumed ? "https://youtube.com/watch?v=" + index : null, null,
                "2025-01-01_10-00-00_Book-" + index, new[] { "search" }, Start, Start.AddSeconds(index));

        /// <summary>Results in the order the counts give them: successes, then resumed, failed and skipped books.</summary>
        internal static List<BookBatchResult> Results(int success, int resumed, int failed, int skipped, string batch = BatchId)
        {
            var outcomes = Enumerable.Repeat(BookOutcome.Success, success)
                .Concat(Enumerable.Repeat(BookOutcome.Resumed, resumed))
                .Concat(Enumerable.Repeat(BookOutcome.Failed, failed))
                .Concat(Enumerable.Repeat(BookOutcome.Skipped, skipped));
            return outcomes.Select((o, i) => Result(i + 1, o, batch)).ToList();
        }

        private static decimal Sum(BatchSummary s) =>
            (decimal)s.SuccessPercent + (decimal)s.ResumedPercent + (decimal)s.FailedPercent + (decimal)s.SkippedPercent;

        [Theory]
        [InlineData(1, 1, 1, 0, 33.4, 33.3, 33.3, 0.0)]
        [InlineData(2, 2, 2, 1, 28.6, 28.6, 28.5, 14.3)]
        [InlineData(7, 2, 1, 0, 70.0, 20.0, 10.0, 0.0)]
        [InlineData(1, 0, 0, 0, 100.0, 0.0, 0.0, 0.0)]
        [InlineData(1, 1, 1, 3, 16.7, 16.7, 16.6, 50.0)]
        [InlineData(0, 0, 1, 2, 0.0, 0.0, 33.3, 66.7)]
        public void PercentagesAreRoundedToTenthsByLargestRemainder(int success, int resumed, int failed, int skipped,
            double successPercent, double resumedPercent, double failedPercent, double skippedPercent)
        {
            var summary = BatchSummary.From(Results(success, resumed, failed, skipped), interrupted: false);
            Assert.Equal(new[] { successPercent, resumedPercent, failedPercent, skippedPercent },
                new[] { summary.SuccessPercent, summary.ResumedPercent, summary.FailedPercent, summary.SkippedPercent });
            Assert.Equal(100.0m, Sum(summary));
        }

        [Fact]
        public void PercentagesAddUpToExactly100ForEveryMixUpTo40Books()
        {
            for (var total = 1; total <= 40; total++)
                for (var a = 0; a <= total; a++)
                    for (var b = 0; a + b <= total; b++)
                        for (var c = 0; a + b + c <= total; c++)
                        {
                            var counts = new[] { a, b, c, total - a - b - c };
                            var tenths = BatchSummary.PercentTenths(counts);
                            var where = $"{string.Join("/", counts)}: {string.Join(" ", tenths)}";
                            Assert.True(tenths.Sum() == 1000, where);
                            for (var i = 0; i < 4; i++)
                            {
                                // Each share is its exact value rounded down or up: never further off than one tenth.
                                var exact = counts[i] * 1000.0 / total;
                                Assert.True(tenths[i] == Math.Floor(exact) || tenths[i] == Math.Ceiling(exact), where);
                                if (counts[i] == 0) Assert.True(tenths[i] == 0, where);
                            }
                        }
        }

        [Theory]
        [InlineData(3)]
        [InlineData(6)]
        [InlineData(7)]
        [InlineData(9)]
        [InlineData(11)]
        [InlineData(13)]
        [InlineData(97)]
        [InlineData(1001)]
        public void ThePercentDoublesOfAnAwkwardTotalSumTo100(int total)
        {
            var third = total / 3;
            var summary = BatchSummary.From(Results(third, third, total - 2 * third - total / 7, total / 7), interrupted: false);
            Assert.Equal(total, summary.Total);
            Assert.Equal(100.0m, Sum(summary));
            Assert.All(new[] { summary.SuccessPercent, summary.ResumedPercent, summary.FailedPercent, summary.SkippedPercent },
                p => Assert.Equal(Math.Round(p, 1), p));
        }

        [Fact]
        public void NoBooksIsAllZeroes()
        {
            var summary = BatchSummary.From(Array.Empty<BookBatchResult>(), interrupted: false);
            Assert.Equal(0, summary.Total);
            Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, new[] { summary.SuccessPercent, summary.ResumedPercent, summary.FailedPercent, summary.SkippedPercent });
            Assert.Null(summary.BatchId);
            Assert.Empty(summary.Results);
            Assert.Empty(summary.FailedBooks);
            Assert.False(summary.Interrupted);
        }

        [Fact]
        public void EachCategoryListsItsBooksInInputOrder()
        {
            var results = Results(2, 1, 2, 1);
            results.Reverse();
            var summary = BatchSummary.From(results, interrupted: true);
            Assert.Equal((6, 2, 1, 2, 1), (summary.Total, summary.Success, summary.Resumed, summary.Failed, summary.Skipped));
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, summary.Results.Select(r => r.Index));
            Assert.Equal(new[] { 1, 2 }, summary.SuccessBooks.Select(r => r.Index));
            Assert.Equal(new[] { 3 }, summary.ResumedBooks.Select(r => r.Index));
            Assert.Equal(new[] { "stage 'tts' failed: exit code 4", "stage 'tts' failed: exit code 5" }, summary.FailedBooks.Select(r => r.Error));
            Assert.Equal(new[] { 6 }, summary.SkippedBooks.Select(r => r.Index));
            Assert.Equal(BatchId, summary.BatchId);
            Assert.True(summary.Interrupted);
            Assert.Equal(6, summary.Planned);
        }

        [Fact]
        public void ResultsOfSeveralBatchesHaveNoBatchId()
        {
            var results = Results(1, 0, 0, 0).Concat(Results(0, 0, 1, 0, "20250102-100000-cd34")).ToList();
            var summary = BatchSummary.From(results, interrupted: false);
            Assert.Null(summary.BatchId);
            Assert.Equal(2, summary.Total);
            Assert.Equal(new[] { BatchId, "20250102-100000-cd34" }, summary.Results.Select(r => r.BatchId));
        }

        [Fact]
        public void AJournalReadsBackWithATornLineIgnoredAndItsEnd()
        {
            using var temp = new TempWorkspace();
            string path;
            using (var journal = BatchJournal.Create(temp.Workspace, BatchId))
            {
                path = journal.Path;
                journal.Write("start", w => w.WriteString("batch", BatchId));
                for (var i = 1; i <= 4; i++) journal.Write("plan", w => w.WriteNumber("index", i));
                foreach (var result in Results(1, 1, 1, 0)) journal.Result(result);
            }
            File.AppendAllText(path, "{\"event\":\"result\",\"index\":4,\"title\":\"Bo");

            var killed = BatchJournal.ReadContents(path, BatchId);
            Assert.Equal(3, killed.Results.Count);
            Assert.False(killed.Ended);
            Assert.True(killed.Interrupted);
            Assert.Equal(4, killed.Planned);
            var summary = BatchSummary.From(killed);
            Assert.Equal((BatchId, 3, 4, true), (summary.BatchId, summary.Total, summary.Planned, summary.Interrupted));
        }

        [Theory]
        [InlineData(false, false)]
        [InlineData(true, true)]
        public void AJournalsEndSaysWhetherItWasStopped(bool stopped, bool interrupted)
        {
            using var temp = new TempWorkspace();
            using (var journal = BatchJournal.Create(temp.Workspace, BatchId))
            {
                journal.Result(Result(1, BookOutcome.Success));
                journal.Write("end", w => w.WriteBoolean("interrupted", stopped));
            }
            var contents = BatchJournal.ReadContents(BatchJournal.PathOf(temp.Workspace, BatchId), BatchId);
            Assert.True(contents.Ended);
            Assert.Equal(interrupted, contents.Interrupted);
            Assert.Equal(interrupted, BatchSummary.From(contents).Interrupted);
        }

        [Fact]
        public void AJournalKilledBeforeItsFirstResultKeepsItsId()
        {
            using var temp = new TempWorkspace();
            using (var journal = BatchJournal.Create(temp.Workspace, BatchId)) journal.Write("start", w => w.WriteString("batch", BatchId));
            var summary = BatchSummary.From(BatchJournal.ReadContents(BatchJournal.PathOf(temp.Workspace, BatchId), BatchId));
            Assert.Equal(BatchId, summary.BatchId);
            Assert.Equal(0, summary.Total);
            Assert.True(summary.Interrupted);
        }

        [Fact]
        public void JournalsAreListedNewestFirstAndFoundById()
        {
            using var temp = new TempWorkspace();
            Assert.Empty(BatchJournals.Ids(temp.Workspace));
            temp.Write("batches/20250101-100000-ab12.jsonl", "");
            temp.Write("batches/20250301-080000-0f0f.jsonl", "");
            temp.Write("batches/20250201-235959-9999.jsonl", "");
            temp.Write("batches/notes.jsonl", "");
            temp.Write("batches/20250401-000000-aaaa.txt", "");
            Assert.Equal(new[] { "20250301-080000-0f0f", "20250201-235959-9999", "20250101-100000-ab12" }, BatchJournals.Ids(temp.Workspace));

            var expected = BatchJournal.PathOf(temp.Workspace, "20250201-235959-9999");
            Assert.Equal(expected, BatchJournals.Find(temp.Workspace, "20250201-235959-9999"));
            Assert.Equal(expected, BatchJournals.Find(temp.Workspace, " 20250201-235959-9999.jsonl "));
            Assert.Equal(BatchJournal.PathOf(temp.Workspace, "notes"), BatchJournals.Find(temp.Workspace, "notes"));
            Assert.Equal(BatchJournal.PathOf(temp.Workspace, "20250101-100000-ab12"), BatchJournals.Find(temp.Workspace, "20250101-100000-AB12"));
            Assert.Null(BatchJournals.Find(temp.Workspace, "20250101-100000-0000"));
            Assert.Null(BatchJournals.Find(temp.Workspace, "../database"));
            Assert.Null(BatchJournals.Find(temp.Workspace, ".."));
        }

        [Fact]
        public void TwoBatchesOfTheSameSecondAreOrderedByTheirLastWrite()
        {
            using var temp = new TempWorkspace();
            var older = temp.Write("batches/20250101-100000-ffff.jsonl", "");
            var newer = temp.Write("batches/20250101-100000-0000.jsonl", "");
            File.SetLastWriteTimeUtc(older, new DateTime(2025, 1, 1, 10, 0, 1, DateTimeKind.Utc));
            File.SetLastWriteTimeUtc(newer, new DateTime(2025, 1, 1, 10, 0, 5, DateTimeKind.Utc));
            Assert.Equal(new[] { "20250101-100000-0000", "20250101-100000-ffff" }, BatchJournals.Ids(temp.Workspace));
        }
    }
}
