using System;
using System.Globalization;
using System.Linq;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;

namespace BookBatch.Screen
{
    /// <summary>
    /// The pre-flight table: a line of counts, then # | Book | Status | Action | Details. Columns are measured
    /// in terminal cells, so wide (East Asian) titles line up; Details is never cut, so a log keeps it whole.
    /// </summary>
    internal static class PlanTable
    {
        private const int MaxBookWidth = 48;

        public static string Text(BatchPlan plan, PipelineSettings settings)
        {
            var text = new StringBuilder();
            var counts = plan.Books.GroupBy(b => b.Action).ToDictionary(g => g.Key, g => g.Count());
            int Count(BookAction a) => counts.TryGetValue(a, out var n) ? n : 0;
            string Extra(int n, string what) => n == 0 ? string.Empty : string.Format(CultureInfo.InvariantCulture, ", {0} {1}", n, what);
            text.AppendLine(string.Format(CultureInfo.InvariantCulture, "Batch plan: {0} book(s): {1} to process, {2} to resume, {3} to skip{4}{5}{6}; stages: {7}",
                plan.Books.Count, Count(BookAction.Process), Count(BookAction.Resume), Count(BookAction.Skip),
                Extra(Count(BookAction.InProgress), "in progress elsewhere"), Extra(Count(BookAction.Review), "waiting for your review"),
                Extra(plan.Books.Count(b => b.Republishes), "to publish again (-Force)"),
                string.Join(", ", settings.Stages.Select(s => s.Name))));
            if (plan.Books.Count == 0) return text.ToString().TrimEnd();
            var width = Math.Min(MaxBookWidth, Math.Max(4, plan.Books.Max(b => TextWidth.Of(b.Book.ToString()))));
            void Row(string index, string book, string status, string action, string? details) =>
                text.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,3}  {1}  {2,-10} {3,-10} {4}", index, TextWidth.Fit(book, width), status, action, details).TrimEnd());
            Row("#", "Book", "Status", "Action", "Details");
            Row("-", new string('-', width), "------", "------", "-------");
            foreach (var book in plan.Books)
                Row(book.Index.ToString(CultureInfo.InvariantCulture), book.Book.ToString(), StatusText(book.Status), book.Action.ToString(),
                    book.Republishes ? "published already: publishes it AGAIN (-Force)" : book.Reason ?? book.Status.Details);
            return text.ToString().TrimEnd();
        }

        // A status BookBatch does not know is shown as database.json has it, quoted: "Unknown" would hide a "published".
        private static string StatusText(BookStatus status) =>
            status.UnknownStatusText is string raw ? "'" + Excerpt.Of(raw, 20) + "'" : status.Status.ToString();
    }
}
