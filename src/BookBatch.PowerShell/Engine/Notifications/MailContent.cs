using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Notifications
{
    /// <summary>
    /// What the completion mail says, as the final summary does: a subject an operator can filter on, and the same text
    /// as plain text and as HTML — the counts, each failed book with the last lines of its failed stage's log, each book
    /// in Review with what to do, the batch id and where its journal is. Titles are data: no control character of a
    /// title reaches the subject, and the HTML body encodes them. No MailKit type is used here.
    /// </summary>
    internal static class MailContent
    {
        private const int LogLines = 5;

        /// <summary>
        /// <c>[BookBatch] FAILED channel: 1 failed, 0 review, 2 published, 0 skipped of 3 (batch 20260101-020000-ab12)</c>;
        /// the first word is FAILED, REVIEW or OK.
        /// </summary>
        public static string Subject(BatchEnd end)
        {
            var s = end.Summary;
            var status = end.IsFailure ? "FAILED" : end.NeedsReview ? "REVIEW" : "OK";
            return OneLine(string.Format(CultureInfo.InvariantCulture, "[BookBatch] {0} {1}: {2} failed, {3} review, {4} published, {5} skipped of {6} (batch {7})",
                status, Path.GetFileName(end.Workspace.TrimEnd('/', '\\')), s.Failed, end.ReviewBooks.Count, s.Success + s.Resumed, s.Skipped, s.Total, s.BatchId ?? "(none)"));
        }

        /// <summary>The plain-text body.</summary>
        public static string PlainText(NotificationTarget target, BatchEnd end)
        {
            var text = new StringBuilder(NotificationMessage.Headline(end)).Append("\n\n");
            foreach (var (name, count) in Counts(end)) text.Append(string.Format(CultureInfo.InvariantCulture, "{0,-10} {1,6}\n", name, count));
            foreach (var book in Failed(target, end))
            {
                text.Append("\nFailed: ").Append(book.Result.Book).Append("\n  ").Append(book.Result.Error ?? "failed").Append('\n');
                if (book.Log != null) text.Append("  log ").Append(book.Log).Append(":\n").Append(string.Concat(book.Lines.Select(l => "  | " + l + "\n")));
            }
            foreach (var book in Review(target, end))
                text.Append("\nIn Review: ").Append(book.Book).Append("\n  ").Append(book.Reason).Append("\n  ").Append(WhatToDo(book)).Append('\n');
            return text.Append('\n').Append(Footer(end)).Append('\n').ToString();
        }

        /// <summary>The HTML body: the same as the plain text, every value encoded.</summary>
        public static string Html(NotificationTarget target, BatchEnd end)
        {
            var html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
            html.Append("<p><b>").Append(Encode(NotificationMessage.Headline(end))).Append("</b></p><table>");
            foreach (var (name, count) in Counts(end))
                html.Append("<tr><td>").Append(name).Append("</td><td style=\"text-align:right\">").Append(count.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
            html.Append("</table>");
            var failed = Failed(target, end).ToList();
            if (failed.Count > 0) html.Append("<h3>Failed</h3>");
            foreach (var book in failed)
            {
                html.Append("<p><b>").Append(Encode(book.Result.Book)).Append("</b><br>").Append(Encode(book.Result.Error ?? "failed")).Append("</p>");
                if (book.Log != null) html.Append("<p>log ").Append(Encode(book.Log)).Append(":</p><pre>").Append(Encode(string.Join("\n", book.Lines))).Append("</pre>");
            }
            var review = Review(target, end).ToList();
            if (review.Count > 0) html.Append("<h3>In Review</h3>");
            foreach (var book in review)
                html.Append("<p><b>").Append(Encode(book.Book)).Append("</b><br>").Append(Encode(book.Reason)).Append("<br>").Append(Encode(WhatToDo(book))).Append("</p>");
            return html.Append("<p>").Append(Encode(Footer(end)).Replace("\n", "<br>")).Append("</p></body></html>").ToString();
        }

        private static IEnumerable<(string, int)> Counts(BatchEnd end)
        {
            var s = end.Summary;
            return new[] { ("Success", s.Success), ("Resumed", s.Resumed), ("Failed", s.Failed), ("Skipped", s.Skipped), ("Review", end.ReviewBooks.Count), ("Total", s.Total) };
        }

        private static IEnumerable<(BookBatchResult Result, string? Log, IReadOnlyList<string> Lines)> Failed(NotificationTarget target, BatchEnd end)
        {
            if (!target.ListFailed) yield break;
            var workspace = new Workspace(end.Workspace);
            foreach (var result in end.Summary.FailedBooks.Take(NotificationMessage.MaxListed))
            {
                var log = FailedStageLog.PathOf(result, workspace);
                yield return (result, log, log is null ? Array.Empty<string>() : FailedStageLog.LastLines(log, LogLines));
            }
        }

        private static IEnumerable<BookBatchResult> Review(NotificationTarget target, BatchEnd end) =>
            target.ListReview ? end.ReviewBooks.Take(NotificationMessage.MaxListed) : Enumerable.Empty<BookBatchResult>();

        private static string WhatToDo(BookBatchResult book)
        {
            var title = "'" + book.Title.Replace("'", "''") + "'";
            return $"If it was published: Complete-Book {title} -YouTubeUrl <its URL>. If not: Reset-Book {title} -FromStage upload.";
        }

        private static string Footer(BatchEnd end) =>
            $"Batch {end.Summary.BatchId} on {end.Host}, workspace {end.Workspace}\nJournal: {end.Journal}\n"
            + $"Report: Export-BookBatchReport -Workspace '{end.Workspace.Replace("'", "''")}' -Id {end.Summary.BatchId} -Path report.html";

        private static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

        // A header is one line: a title (or a folder name) with a line break must not start a header of its own.
        private static string OneLine(string text) => new(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
