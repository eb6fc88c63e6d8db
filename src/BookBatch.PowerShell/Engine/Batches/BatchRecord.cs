using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// What a batch's journal (<c>batches/&lt;id&gt;.jsonl</c>) says, read as the batch writes it: lines are read up to the
    /// last whole one, and a later read goes on from there, so a growing journal is never read twice and a half-written
    /// line (the torn last line of a killed batch) is read when it is whole, or never. The one reader of journals: the
    /// dashboard and the report follow batches with it, Get-BatchSummary reads a journal once with it.
    /// </summary>
    public sealed class BatchRecord
    {
        private readonly Dictionary<string, BookRecord> _books = new(StringComparer.Ordinal);
        private long _offset;

        /// <summary>A record of the journal of batch <paramref name="id"/> at <paramref name="path"/>, nothing read yet.</summary>
        public BatchRecord(string id, string path)
        {
            Id = id;
            Path = path;
        }

        /// <summary>The batch id.</summary>
        public string Id { get; }
        /// <summary>The journal file.</summary>
        public string Path { get; }
        /// <summary>When the batch started (its "start" line; else its first line).</summary>
        public DateTimeOffset? Started { get; private set; }
        /// <summary>The last time a line of the journal names.</summary>
        public DateTimeOffset? LastEvent { get; private set; }
        /// <summary>The machine that ran it.</summary>
        public string? Host { get; private set; }
        /// <summary>The process that ran it.</summary>
        public int? Pid { get; private set; }
        /// <summary>True when the journal has its end line.</summary>
        public bool Ended { get; private set; }
        /// <summary>True when the end line says the batch was stopped, or when it failed.</summary>
        public bool Stopped { get; private set; }
        /// <summary>The books of the plan, in input order.</summary>
        public List<BookRecord> Books { get; } = new();
        /// <summary>Every attempt that ended, in the order they ended.</summary>
        public List<AttemptRecord> Attempts { get; } = new();
        /// <summary>The results, in the order the batch finished the books.</summary>
        public List<BookBatchResult> Results { get; } = new();
        /// <summary>The notifications of the batch's end, as it recorded them.</summary>
        public List<NotificationOutcome> Notifications { get; } = new();

        /// <summary>The plan line of a book (by the journal's <c>Title | Author</c>), or null.</summary>
        public BookRecord? BookOf(string book) => _books.TryGetValue(book, out var record) ? record : null;

        /// <summary>Reads the lines written since the last read; false when there was nothing new.</summary>
        public bool ReadMore()
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _offset) Reset();   // replaced by a shorter file: start over
            if (stream.Length == _offset) return false;
            stream.Position = _offset;
            var bytes = new byte[stream.Length - _offset];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                Apply(new ReadOnlyMemory<byte>(bytes, start, i - start));
                start = i + 1;
            }
            // The bytes after the last newline are a line still being written: read again next time.
            _offset += start;
            return start > 0;
        }

        private void Reset()
        {
            _offset = 0;
            _books.Clear();
            Books.Clear();
            Attempts.Clear();
            Results.Clear();
            Notifications.Clear();
            Started = LastEvent = null;
            Ended = Stopped = false;
        }

        private void Apply(ReadOnlyMemory<byte> line)
        {
            if (line.Length == 0) return;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException) { return; } // a line torn by a crash
            using (doc)
            {
                var e = doc.RootElement;
                if (e.ValueKind != JsonValueKind.Object) return;
                var time = Time(e, "time");
                if (time != null) LastEvent = time;
                Started ??= time;
                switch (Text(e, "event"))
                {
                    case "start":
                        Started = time;
                        Host = Text(e, "host");
                        Pid = e.TryGetProperty("pid", out var pid) && pid.ValueKind == JsonValueKind.Number ? pid.GetInt32() : null;
                        break;
                    case "plan":
                        var planned = new BookRecord
                        {
                            Index = e.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number ? index.GetInt32() : Books.Count + 1,
                            Book = Text(e, "book") ?? string.Empty,
                            Action = Text(e, "action") ?? string.Empty,
                        };
                        Books.Add(planned);
                        _books[planned.Book] = planned;
                        break;
                    case "stage":
                        Attempts.Add(new AttemptRecord
                        {
                            Book = Text(e, "book") ?? string.Empty,
                            Stage = Text(e, "stage") ?? string.Empty,
                            Attempt = e.TryGetProperty("attempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number ? attempt.GetInt32() : 1,
                            Result = Text(e, "result"),
                            Error = Text(e, "error"),
                            Started = Time(e, "started") ?? time ?? default,
                            Ended = time,
                        });
                        break;
                    case "result":
                        if (BatchJournal.TryReadResult(Id, e) is BookBatchResult result)
                        {
                            Results.Add(result);
                            if (BookOf(new Books.Book(result.Title, result.Author).ToString()) is BookRecord book) book.Result = result;
                        }
                        break;
                    case "notification":
                        if (NotificationOutcome.ReadFrom(e) is { } notification) Notifications.Add(notification);
                        break;
                    case "end":
                        Ended = true;
                        Stopped = e.TryGetProperty("interrupted", out var flag) && flag.ValueKind == JsonValueKind.True;
                        break;
                }
            }
        }

        private static string? Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static DateTimeOffset? Time(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var t) ? t : null;
    }
}
