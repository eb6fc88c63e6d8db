using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// <c>batches/&lt;id&gt;.jsonl</c>: one JSON line per event, flushed as it happens, so that a batch that is killed
    /// still has its history. Events: start, plan, stage, result, end.
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

        /// <summary>Writes one event line and flushes it to disk.</summary>
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
                _stream.Flush(flushToDisk: true);
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

        /// <summary>Reads a journal's results back (for Get-BatchSummary); a torn last line is ignored.</summary>
        public static (IReadOnlyList<BookBatchResult> Results, bool Ended, int Planned) Read(string path, string id)
        {
            var results = new List<BookBatchResult>();
            var ended = false;
            var planned = 0;
            foreach (var line in File.ReadAllLines(path, Encoding.UTF8))
            {
                if (line.Length == 0) continue;
                JsonDocument doc;
                try { doc = JsonDocument.Parse(line); }
                catch (JsonException) { continue; }
                using (doc)
                {
                    var e = doc.RootElement;
                    switch (e.GetProperty("event").GetString())
                    {
                        case "end": ended = true; break;
                        case "plan": planned++; break;
                        case "result": results.Add(ResultOf(id, e)); break;
                    }
                }
            }
            return (results, ended, planned);
        }

        private static BookBatchResult ResultOf(string id, JsonElement e)
        {
            string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var stages = new List<string>();
            if (e.TryGetProperty("stagesRun", out var list) && list.ValueKind == JsonValueKind.Array)
                foreach (var s in list.EnumerateArray()) stages.Add(s.GetString() ?? string.Empty);
            return new BookBatchResult(id, e.GetProperty("index").GetInt32(), Text("title") ?? string.Empty, Text("author"),
                (BookOutcome)Enum.Parse(typeof(BookOutcome), Text("outcome") ?? nameof(BookOutcome.Skipped)),
                Text("reason"), Text("error"), Text("youtubeUrl"), Text("shortUrl"), Text("runFolder"), stages,
                e.GetProperty("started").GetDateTimeOffset(), e.GetProperty("finished").GetDateTimeOffset());
        }

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_stream) _stream.Dispose();
        }
    }
}
