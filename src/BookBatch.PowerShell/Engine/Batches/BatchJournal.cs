using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// <c>batches/&lt;id&gt;.jsonl</c>: one JSON line per event, flushed as it happens, so that a batch that is killed
    /// still has its history (a power cut may lose the last lines). Events: start, plan, stage, result, end.
    /// </summary>
    public sealed class BatchJournal : IDisposable
    {
        private readonly FileStream _stream;

        private BatchJournal(string path, FileStream stream)
        {
            Path = path;
            _stream = stream;
        }

        /// <summary>The journal file.</summary>
        public string Path { get; }

        /// <summary>The journal file of a batch id.</summary>
        public static string PathOf(Workspace workspace, string id) => System.IO.Path.Combine(workspace.BatchesPath, id + ".jsonl");

        /// <summary>Creates the journal of a new batch.</summary>
        public static BatchJournal Create(Workspace workspace, string id)
        {
            Directory.CreateDirectory(workspace.BatchesPath);
            var path = PathOf(workspace, id);
            return new BatchJournal(path, new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete));
        }

        /// <summary>Writes one event line and flushes it to the operating system.</summary>
        public void Write(string kind, Action<Utf8JsonWriter> fields)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("event", kind);
                writer.WriteString("time", DateTimeOffset.Now);
                fields(writer);
                writer.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            lock (_stream)
            {
                buffer.Position = 0;
                buffer.CopyTo(_stream);
                // To the operating system at once, so a killed batch keeps every line; not to the disk per line.
                _stream.Flush(flushToDisk: false);
            }
        }

        /// <summary>Writes a book's result.</summary>
        public void Result(BookBatchResult result) => Write("result", w =>
        {
            w.WriteNumber("index", result.Index);
            w.WriteString("title", result.Title);
            w.WriteString("author", result.Author);
            w.WriteString("outcome", result.Outcome.ToString());
            w.WriteString("reason", result.Reason);
            // The category beside the text: a reader that knows it reads it; an older one reads "reason" as before.
            if (result.SkipReason != SkipReason.None) w.WriteString("skipReason", result.SkipReason.ToString());
            w.WriteString("error", result.Error);
            w.WriteString("youtubeUrl", result.YouTubeUrl);
            w.WriteString("shortUrl", result.ShortUrl);
            w.WriteString("runFolder", result.RunFolder);
            w.WriteStartArray("stagesRun");
            foreach (var stage in result.StagesRun) w.WriteStringValue(stage);
            w.WriteEndArray();
            w.WriteString("started", result.Started);
            w.WriteString("finished", result.Finished);
        });

        /// <summary>Writes one stage attempt's end.</summary>
        public void Stage(PlannedBook book, string stage, int attempt, StageOutcome outcome, DateTimeOffset started) => Write("stage", w =>
        {
            w.WriteString("book", book.Book.ToString());
            w.WriteString("stage", stage);
            w.WriteNumber("attempt", attempt);
            w.WriteString("result", outcome.Result.ToString());
            if (outcome.ExitCode is int code) w.WriteNumber("exitCode", code);
            w.WriteString("error", outcome.Error);
            w.WriteString("started", started);
        });

        /// <summary>
        /// Reads everything Get-BatchSummary needs from a journal: the results, whether the batch ended and whether its
        /// end says it was interrupted. A line that is not a whole event (the torn last line of a killed batch) is ignored.
        /// </summary>
        public static BatchJournalContents ReadContents(string path, string id)
        {
            var record = new BatchRecord(id, path);
            record.ReadMore();
            return new BatchJournalContents(id, path, record.Results, record.Ended, record.Stopped, record.Books.Count, record.Notifications);
        }

        /// <summary>The result a "result" line holds; null for a line that parses but lacks a field (written by hand, or by another version).</summary>
        internal static BookBatchResult? TryReadResult(string id, JsonElement e)
        {
            try { return ResultOf(id, e); }
            catch (Exception x) when (x is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException) { return null; }
        }

        private static BookBatchResult ResultOf(string id, JsonElement e)
        {
            string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var stages = new List<string>();
            if (e.TryGetProperty("stagesRun", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var s in list.EnumerateArray()) stages.Add(s.GetString() ?? string.Empty);
            var outcome = (BookOutcome)Enum.Parse(typeof(BookOutcome), Text("outcome") ?? nameof(BookOutcome.Skipped), ignoreCase: true);
            var reason = Text("reason");
            // A journal of an older version has no category: it is read from the text, as that version wrote it.
            var why = Text("skipReason") is string named && Enum.TryParse<SkipReason>(named, ignoreCase: true, out var parsed)
                ? parsed : SkipReasons.FromOldText(outcome, reason);
            return new BookBatchResult(id, e.GetProperty("index").GetInt32(), Text("title") ?? string.Empty, Text("author"), outcome,
                reason, Text("error"), Text("youtubeUrl"), Text("shortUrl"), Text("runFolder"), stages,
                e.GetProperty("started").GetDateTimeOffset(), e.GetProperty("finished").GetDateTimeOffset(), why);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_stream) _stream.Dispose();
        }
    }
}
