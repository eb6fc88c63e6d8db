using System;
using BookBatch.Engine.Settings;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Batches;

namespace BookBatch.Engine.Notifications
{
    /// <summary>
    /// The body a target gets for a batch's end: what Slack, Teams and Discord incoming webhooks accept, or BookBatch's
    /// own JSON (webhooks of format json, and commands on their standard input). Titles are data: no markup they hold
    /// is acted on (Slack's control characters are escaped, Discord's mentions are off).
    /// </summary>
    internal static class NotificationMessage
    {
        /// <summary>How many books each list names; the rest are counted.</summary>
        public const int MaxListed = 20;
        /// <summary>Discord refuses a longer content.</summary>
        public const int DiscordLimit = 2000;
        private const int SlackSectionLimit = 3000;

        private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>The body for a target, as UTF-8 JSON.</summary>
        public static byte[] For(NotificationTarget target, BatchEnd end) => Write(w =>
        {
            switch (target.Format)
            {
                case NotificationFormat.Slack: Slack(w, target, end); break;
                case NotificationFormat.Teams: Teams(w, target, end); break;
                case NotificationFormat.Discord: Discord(w, target, end); break;
                default: Json(w, target, end); break;
            }
        });

        /// <summary>One line: the batch, where it ran, its counts, and how it ended.</summary>
        public static string Headline(BatchEnd end)
        {
            var s = end.Summary;
            var text = new StringBuilder(string.Format(CultureInfo.InvariantCulture,
                "BookBatch batch {0} on {1}: {2} book(s), {3} success, {4} resumed, {5} failed, {6} skipped",
                s.BatchId ?? "(none)", end.Host, s.Total, s.Success, s.Resumed, s.Failed, s.Skipped));
            var review = end.ReviewBooks.Count;
            if (review > 0) text.Append(string.Format(CultureInfo.InvariantCulture, " ({0} waiting for review)", review));
            if (end.Error != null) text.Append(". It could not go on: ").Append(end.Error);
            else if (s.Interrupted) text.Append(". It was interrupted");
            return text.ToString();
        }

        private static string Status(BatchEnd end) => end.IsFailure ? "failure" : end.NeedsReview ? "review" : "success";

        // The lists a target asked for, each as a title and its lines ("book: why").
        private static IEnumerable<(string Title, IReadOnlyList<string> Lines)> Lists(NotificationTarget target, BatchEnd end)
        {
            if (target.ListFailed && end.Summary.Failed > 0) yield return ("Failed", Lines(end.Summary.FailedBooks, r => r.Error));
            if (target.ListReview && end.NeedsReview) yield return ("Waiting for review", Lines(end.ReviewBooks, r => r.Reason));
        }

        private static IReadOnlyList<string> Lines(IReadOnlyList<BookBatchResult> books, Func<BookBatchResult, string?> why)
        {
            var lines = books.Take(MaxListed).Select(r => $"{r.Book}: {why(r)}").ToList();
            if (books.Count > MaxListed) lines.Add(string.Format(CultureInfo.InvariantCulture, "… and {0} more", books.Count - MaxListed));
            return lines;
        }

        private static string PlainText(NotificationTarget target, BatchEnd end)
        {
            var text = new StringBuilder(Headline(end));
            foreach (var (title, lines) in Lists(target, end))
            {
                text.Append("\n\n").Append(title).Append(':');
                foreach (var line in lines) text.Append("\n- ").Append(line);
            }
            return text.ToString();
        }

        private static void Slack(Utf8JsonWriter w, NotificationTarget target, BatchEnd end)
        {
            w.WriteString("text", SlackEscape(PlainText(target, end)));
            w.WriteStartArray("blocks");
            Section(w, SlackEscape(Headline(end)));
            foreach (var (title, lines) in Lists(target, end))
                Section(w, $"*{title}*\n" + string.Join("\n", lines.Select(l => "• " + SlackEscape(l))));
            w.WriteEndArray();

            static void Section(Utf8JsonWriter w, string mrkdwn)
            {
                w.WriteStartObject();
                w.WriteString("type", "section");
                w.WriteStartObject("text");
                w.WriteString("type", "mrkdwn");
                w.WriteString("text", Cut(mrkdwn, SlackSectionLimit));
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }

        // Slack reads &, < and > as markup (links, mentions): a title must not make one.
        private static string SlackEscape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        private static void Discord(Utf8JsonWriter w, NotificationTarget target, BatchEnd end)
        {
            w.WriteString("content", Cut(PlainText(target, end), DiscordLimit));
            w.WriteStartObject("allowed_mentions"); // a title such as "@everyone" must not ping anyone
            w.WriteStartArray("parse");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        private static void Teams(Utf8JsonWriter w, NotificationTarget target, BatchEnd end)
        {
            var s = end.Summary;
            w.WriteString("type", "message");
            w.WriteStartArray("attachments");
            w.WriteStartObject();
            w.WriteString("contentType", "application/vnd.microsoft.card.adaptive");
            w.WriteNull("contentUrl");
            w.WriteStartObject("content");
            w.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            w.WriteString("type", "AdaptiveCard");
            w.WriteString("version", "1.4");
            w.WriteStartArray("body");
            TextBlock(w, Headline(end), bold: true);
            w.WriteStartObject();
            w.WriteString("type", "FactSet");
            w.WriteStartArray("facts");
            foreach (var (name, count) in new[] { ("Success", s.Success), ("Resumed", s.Resumed), ("Failed", s.Failed), ("Skipped", s.Skipped), ("Review", end.ReviewBooks.Count) })
            {
                w.WriteStartObject();
                w.WriteString("title", name);
                w.WriteString("value", count.ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            foreach (var (title, lines) in Lists(target, end))
            {
                TextBlock(w, title, bold: true);
                foreach (var line in lines) TextBlock(w, line, bold: false);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();

            static void TextBlock(Utf8JsonWriter w, string text, bool bold)
            {
                w.WriteStartObject();
                w.WriteString("type", "TextBlock");
                w.WriteString("text", text);
                w.WriteBoolean("wrap", true);
                if (bold) w.WriteString("weight", "Bolder");
                w.WriteEndObject();
            }
        }

        private static void Json(Utf8JsonWriter w, NotificationTarget target, BatchEnd end)
        {
            var s = end.Summary;
            w.WriteString("source", "BookBatch");
            w.WriteString("batch", s.BatchId);
            w.WriteString("status", Status(end));
            w.WriteString("text", Headline(end));
            w.WriteString("workspace", end.Workspace);
            w.WriteString("journal", end.Journal);
            w.WriteString("host", end.Host);
            w.WriteBoolean("interrupted", s.Interrupted);
            w.WriteString("error", end.Error);
            w.WriteNumber("total", s.Total);
            w.WriteNumber("success", s.Success);
            w.WriteNumber("resumed", s.Resumed);
            w.WriteNumber("failed", s.Failed);
            w.WriteNumber("skipped", s.Skipped);
            w.WriteNumber("review", end.ReviewBooks.Count);
            if (target.ListFailed) Books(w, "failedBooks", s.FailedBooks, "error", r => r.Error);
            if (target.ListReview) Books(w, "reviewBooks", end.ReviewBooks, "reason", r => r.Reason);

            static void Books(Utf8JsonWriter w, string name, IReadOnlyList<BookBatchResult> books, string whyName, Func<BookBatchResult, string?> why)
            {
                w.WriteStartArray(name);
                foreach (var book in books)
                {
                    w.WriteStartObject();
                    w.WriteString("title", book.Title);
                    w.WriteString("author", book.Author);
                    w.WriteString(whyName, why(book));
                    w.WriteString("runFolder", book.RunFolder);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
        }

        private static string Cut(string text, int limit)
        {
            if (text.Length <= limit) return text;
            var keep = char.IsHighSurrogate(text[limit - 2]) ? limit - 2 : limit - 1; // never half a character
            return text.Substring(0, keep) + "…";
        }

        private static byte[] Write(Action<Utf8JsonWriter> fields)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Options))
            {
                writer.WriteStartObject();
                fields(writer);
                writer.WriteEndObject();
            }
            return buffer.ToArray();
        }
    }
}
