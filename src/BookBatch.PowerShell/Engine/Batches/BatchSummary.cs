using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The totals of a batch (its final table): how many books succeeded, resumed, failed or were skipped, with
    /// percentages, and the books of each category.
    /// </summary>
    public sealed class BatchSummary
    {
        private BatchSummary(string? batchId, IReadOnlyList<BookBatchResult> results, bool interrupted, int planned)
        {
            BatchId = batchId;
            Results = results;
            Interrupted = interrupted;
            SuccessBooks = Of(results, BookOutcome.Success);
            ResumedBooks = Of(results, BookOutcome.Resumed);
            FailedBooks = Of(results, BookOutcome.Failed);
            SkippedBooks = Of(results, BookOutcome.Skipped);
            Planned = Math.Max(planned, results.Count);

            var tenths = PercentTenths(new[] { Success, Resumed, Failed, Skipped });
            SuccessPercent = tenths[0] / 10.0;
            ResumedPercent = tenths[1] / 10.0;
            FailedPercent = tenths[2] / 10.0;
            SkippedPercent = tenths[3] / 10.0;
        }

        /// <summary>The batch's id; null when the results came from several batches (or there were none).</summary>
        public string? BatchId { get; }

        /// <summary>How many books have a result.</summary>
        public int Total => Results.Count;
        /// <summary>Books processed from the start and published.</summary>
        public int Success => SuccessBooks.Count;
        /// <summary>Books resumed where they stopped and published.</summary>
        public int Resumed => ResumedBooks.Count;
        /// <summary>Books that failed; they resume next time.</summary>
        public int Failed => FailedBooks.Count;
        /// <summary>Books not worked on (already done, declined, held by another batch, interrupted).</summary>
        public int Skipped => SkippedBooks.Count;

        /// <summary>Success as a percentage of Total, to one decimal; the four percentages add up to exactly 100.</summary>
        public double SuccessPercent { get; }
        /// <summary>Resumed as a percentage of Total, to one decimal.</summary>
        public double ResumedPercent { get; }
        /// <summary>Failed as a percentage of Total, to one decimal.</summary>
        public double FailedPercent { get; }
        /// <summary>Skipped as a percentage of Total, to one decimal.</summary>
        public double SkippedPercent { get; }

        /// <summary>
        /// True when the batch did not run to its end: it was stopped (Ctrl+C), or its journal has no end because the
        /// process was killed (or the batch is still running).
        /// </summary>
        public bool Interrupted { get; }

        /// <summary>How many books the batch planned: more than <see cref="Total"/> when it was killed before recording every book.</summary>
        public int Planned { get; }

        /// <summary>How the notifications of the batch's end went (from its journal; none for results of several batches).</summary>
        public IReadOnlyList<NotificationOutcome> Notifications { get; private set; } = Array.Empty<NotificationOutcome>();

        /// <summary>Every book's result, by batch and place in the input.</summary>
        public IReadOnlyList<BookBatchResult> Results { get; }
        /// <summary>The books that succeeded.</summary>
        public IReadOnlyList<BookBatchResult> SuccessBooks { get; }
        /// <summary>The books that were resumed and published.</summary>
        public IReadOnlyList<BookBatchResult> ResumedBooks { get; }
        /// <summary>The books that failed, with their errors.</summary>
        public IReadOnlyList<BookBatchResult> FailedBooks { get; }
        /// <summary>The books that were skipped, with the reason.</summary>
        public IReadOnlyList<BookBatchResult> SkippedBooks { get; }

        /// <summary>
        /// The summary of results (piped from Invoke-BookBatch, say). The batch id is theirs when they all share one,
        /// else null; <paramref name="interrupted"/> says whether the batch was cut short.
        /// </summary>
        public static BatchSummary From(IEnumerable<BookBatchResult> results, bool interrupted) => From(results, interrupted, planned: 0);

        /// <summary>
        /// The summary of results with the number of books their batch planned (from its journal), so that a killed
        /// batch shows how many books never got a result.
        /// </summary>
        public static BatchSummary From(IEnumerable<BookBatchResult> results, bool interrupted, int planned)
        {
            if (results is null) throw new ArgumentNullException(nameof(results));
            // Journals and parallel batches record books as they finish; people read them in input order.
            var list = results.Where(r => r != null)
                .OrderBy(r => r.BatchId, StringComparer.Ordinal)
                .ThenBy(r => r.Index)
                .ToList();
            var ids = list.Select(r => r.BatchId).Distinct(StringComparer.Ordinal).Take(2).ToList();
            return new BatchSummary(ids.Count == 1 ? ids[0] : null, list, interrupted, planned);
        }

        /// <summary>The summary of a batch's journal.</summary>
        public static BatchSummary From(BatchJournalContents journal)
        {
            if (journal is null) throw new ArgumentNullException(nameof(journal));
            var summary = From(journal.Results, journal.Interrupted, journal.Planned);
            // A batch killed before its first result still has an id: the journal's.
            if (summary.BatchId is null && summary.Total == 0) summary = new BatchSummary(journal.Id, summary.Results, summary.Interrupted, summary.Planned);
            summary.Notifications = journal.Notifications;
            return summary;
        }

        /// <summary>
        /// Each count's share of their sum in tenths of a percent, adding up to exactly 1000 (all 0 when the sum is 0):
        /// the largest-remainder method, so that rounding never shows 99.9 % or 100.1 % in total. Ties go to the
        /// earlier count.
        /// </summary>
        public static int[] PercentTenths(IReadOnlyList<int> counts)
        {
            if (counts is null) throw new ArgumentNullException(nameof(counts));
            var tenths = new int[counts.Count];
            long total = 0;
            foreach (var count in counts)
            {
                if (count < 0) throw new ArgumentOutOfRangeException(nameof(counts), count, "a count cannot be negative");
                total += count;
            }
            if (total == 0) return tenths;
            var remainders = new long[counts.Count];
            var given = 0;
            for (var i = 0; i < counts.Count; i++)
            {
                var scaled = counts[i] * 1000L;
                tenths[i] = (int)(scaled / total);
                remainders[i] = scaled % total;
                given += tenths[i];
            }
            // The floors fall short by fewer units than there are non-zero remainders, so a zero count never gets one.
            foreach (var i in Enumerable.Range(0, counts.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(1000 - given))
                tenths[i]++;
            return tenths;
        }

        /// <summary>
        /// A percentage as every view of the module prints it ("33.3%", "100%", "0%"): one function, so that the same
        /// ratio reads the same in the final summary, the summary's view and anywhere else.
        /// </summary>
        public static string FormatPercent(double percent) => percent.ToString("0.#", CultureInfo.InvariantCulture) + "%";

        /// <summary>One line: the batch and its counts.</summary>
        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "{0}{1} books: {2} success, {3} resumed, {4} failed, {5} skipped{6}",
            BatchId is null ? string.Empty : "Batch " + BatchId + ", ", Total, Success, Resumed, Failed, Skipped,
            Interrupted ? " (interrupted)" : string.Empty);

        private static IReadOnlyList<BookBatchResult> Of(IReadOnlyList<BookBatchResult> results, BookOutcome outcome) =>
            results.Where(r => r.Outcome == outcome).ToList();
    }
}
