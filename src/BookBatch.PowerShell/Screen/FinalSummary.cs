using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Screen
{
    /// <summary>
    /// The final summary, written to the host at the end of every batch (after Ctrl+C too): the counts and their
    /// percentages, then the failed books with the last lines of the failed stage's log, the interrupted books, and the
    /// books held back (elsewhere, for review, by a quota), each with its reason.
    /// </summary>
    internal static class FinalSummary
    {
        private const int LogLines = 3;

        public static string Text(IReadOnlyList<BookBatchResult> results, BatchPlan plan, Workspace workspace, bool interrupted)
        {
            var summary = BatchSummary.From(results, interrupted, plan.Books.Count);
            var text = new StringBuilder();
            if (interrupted)
                text.AppendLine("Interrupted: the running stages were stopped and recorded as interrupted; the books not finished are left for the next batch.");
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "Batch {0}{1}: {2} of {3} book(s) have a result",
                plan.Id, interrupted ? " (interrupted)" : string.Empty, summary.Total, plan.Books.Count));
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-12} {1,6} {2,11}", "Category", "Count", "Percentage"));
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-12} {1,6} {2,11}", "--------", "-----", "----------"));
            foreach (var (name, count, percent) in new[]
            {
                ("Success", summary.Success, summary.SuccessPercent), ("Resumed", summary.Resumed, summary.ResumedPercent),
                ("Failed", summary.Failed, summary.FailedPercent), ("Skipped", summary.Skipped, summary.SkippedPercent),
            })
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-12} {1,6} {2,11}", name, count, BatchSummary.FormatPercent(percent)));

            Section(text, "Failed", summary.FailedBooks, book =>
            {
                var lines = new List<string> { book.Error ?? "failed" };
                if (FailedStageLog.PathOf(book, workspace) is string log)
                    lines.Add("log " + log + ":" + string.Concat(FailedStageLog.LastLines(log, LogLines).Select(l => Environment.NewLine + "  | " + l)));
                return lines;
            });
            // Published, listed twice or declined: the operator knows why; the others were held and are listed.
            var skipped = summary.SkippedBooks.Where(r => r.SkipReason is not (SkipReason.AlreadyDone or SkipReason.ListedTwice or SkipReason.Declined)).ToList();
            var stopped = skipped.Where(r => r.SkipReason == SkipReason.Interrupted).ToList();
            Section(text, "Interrupted", stopped, book => new[] { book.Reason! });
            Section(text, "Held", skipped.Except(stopped).ToList(), book => new[] { book.Reason ?? "skipped" });
            return text.ToString().TrimEnd();
        }

        private static void Section(StringBuilder text, string title, IReadOnlyList<BookBatchResult> books, Func<BookBatchResult, IEnumerable<string>> lines)
        {
            if (books.Count == 0) return;
            text.AppendLine().AppendLine(string.Format(CultureInfo.InvariantCulture, "{0} ({1}):", title, books.Count));
            foreach (var book in books)
            {
                var details = lines(book).ToList();
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,4}  {1}: {2}", book.Index, book.Book, details[0]));
                foreach (var more in details.Skip(1))
                    text.AppendLine("      " + more.Replace(Environment.NewLine, Environment.NewLine + "      "));
            }
        }
    }
}
