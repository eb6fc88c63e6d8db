using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;

namespace BookBatch.Crash
{
    /// <summary>
    /// When a dead worker's books came free, watched from outside on the store and in the run folders: the figure
    /// "dead worker to books free". A book is free once another worker may take it up and run it: its claim is no longer
    /// held by the dead worker's session (PostgreSQL saw the connection close, or ended the frozen or cut-off session at
    /// its lease), and the stage process it had running is recorded over — its end or its watchdog's <c>gone</c> line
    /// in the run folder — or its holder's lease and 2 s have passed (the engine waits no longer: docs/DECISIONS.md).
    /// What a worker then does with a free book (its feed's next look, room in its throttle, a render place, the upload
    /// quota) is not in this figure; the farm reports it beside, as the time to the book's next start.
    /// </summary>
    internal sealed class FreeWatch
    {
        // The claim's row is held now: its session holds its advisory lock ("BC", hashtext of the key), as pg_locks shows.
        private const string Held =
            "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::bigint = 16963" +
            " AND l.objid::bigint = (c.lock_key::bigint & 4294967295) AND l.pid = c.backend_pid)";
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(60);

        private readonly string _connection;
        private readonly string _runs;
        private readonly List<Task> _watches = new();
        private readonly List<FreeTime> _times = new();

        private readonly string _log;

        /// <summary>Watches the store <paramref name="connection"/> names and <paramref name="workspace"/>'s run folders; writes each book's time to <paramref name="log"/>.</summary>
        public FreeWatch(string connection, string workspace, string log)
        {
            _connection = connection;
            _runs = Path.Combine(workspace, "runs");
            _log = log;
        }

        /// <summary>
        /// The books <paramref name="server"/>'s worker holds just now, with the stage attempts their run folders show
        /// running: taken right before it is killed, frozen or cut off. Empty when the store cannot be read.
        /// </summary>
        public List<HeldBook> HeldBy(string server)
        {
            try
            {
                using var connection = Open();
                using var command = new NpgsqlCommand($"SELECT c.book_key, c.book, c.token FROM bookbatch_claims c WHERE c.server = @server AND {Held}", connection);
                command.Parameters.AddWithValue("server", server);
                using var reader = command.ExecuteReader();
                var held = new List<HeldBook>();
                while (reader.Read()) held.Add(new HeldBook(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), OpenAttempts(reader.GetString(1))));
                return held;
            }
            catch (Exception e) when (e is NpgsqlException or IOException) { return new List<HeldBook>(); }
        }

        /// <summary>Watches <paramref name="books"/> come free after an event of <paramref name="kind"/> at <paramref name="eventMs"/>.</summary>
        public void Watch(string kind, long eventMs, List<HeldBook> books)
        {
            if (books.Count == 0) return;
            lock (_watches) _watches.Add(Task.Run(() => WatchAsync(kind, eventMs, books)));
        }

        /// <summary>Every book watched, once every watch has ended: its event, and when it came free (null: not within a minute).</summary>
        public async Task<List<FreeTime>> AllAsync()
        {
            Task[] watches;
            lock (_watches) watches = _watches.ToArray();
            await Task.WhenAll(watches);
            lock (_times) return _times.ToList();
        }

        private async Task WatchAsync(string kind, long eventMs, List<HeldBook> books)
        {
            var left = books.ToDictionary(b => b.Key);
            var deadline = new Dictionary<string, long>();
            var clock = Stopwatch.StartNew();
            NpgsqlConnection? connection = null;
            while (left.Count > 0 && clock.Elapsed < GiveUp)
            {
                try
                {
                    connection ??= Open();
                    var claims = ReadClaims(connection, left.Keys.ToArray());
                    var now = Clock.Now;
                    foreach (var book in left.Values.ToList())
                    {
                        var claimFree = !claims.TryGetValue(book.Key, out var row) || row.Token != book.Token || !row.Held;
                        if (row.Token == book.Token && row.LeaseLeftMs is double leaseLeft) deadline[book.Key] = now + (long)leaseLeft + 2000;
                        var how = book.Attempts.Count == 0 ? "no stage running" : AllOver(book) ? "its stage recorded over"
                            : deadline.TryGetValue(book.Key, out var until) && now >= until ? "its holder's lease and 2 s over" : null;
                        if (!claimFree || how is null) continue;
                        left.Remove(book.Key);
                        lock (_times)
                        {
                            _times.Add(new FreeTime(kind, eventMs, now - eventMs, book.Attempts.Count > 0));
                            File.AppendAllText(_log, $"{eventMs}\t{kind}\t{book.Book}\t{now - eventMs}\t{how}\n");
                        }
                    }
                }
                catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
                {
                    // The session ended, or the database restarts: look again on a new one.
                    connection?.Dispose();
                    connection = null;
                }
                await Task.Delay(Poll);
            }
            connection?.Dispose();
            lock (_times) _times.AddRange(left.Values.Select(b => new FreeTime(kind, eventMs, null, b.Attempts.Count > 0)));
        }

        private static Dictionary<string, (long Token, bool Held, double? LeaseLeftMs)> ReadClaims(NpgsqlConnection connection, string[] keys)
        {
            using var command = new NpgsqlCommand(
                $"SELECT c.book_key, c.token, {Held}, EXTRACT(EPOCH FROM (c.lease_expires - now())) * 1000 FROM bookbatch_claims c WHERE c.book_key = ANY(@keys)", connection);
            command.Parameters.AddWithValue("keys", keys);
            using var reader = command.ExecuteReader();
            var rows = new Dictionary<string, (long, bool, double?)>(StringComparer.Ordinal);
            while (reader.Read()) rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : Convert.ToDouble(reader.GetValue(3)));
            return rows;
        }

        private NpgsqlConnection Open()
        {
            var connection = new NpgsqlConnection(_connection);
            connection.Open();
            return connection;
        }

        // The attempts with neither an end nor a gone line in the run folders of the book named <paramref name="book"/>.
        private List<(string Folder, string Stage, int Attempt)> OpenAttempts(string book)
        {
            var open = new List<(string, string, int)>();
            if (!Directory.Exists(_runs)) return open;
            foreach (var folder in Directory.GetDirectories(_runs))
            {
                var events = Events(folder);
                if (events.FirstOrDefault(e => e.Event == "run").Title is not { } title || !(book == title || book.StartsWith(title + " | ", StringComparison.Ordinal))) continue;
                foreach (var e in events.Where(e => e.Event == "attempt"))
                    if (!events.Any(o => o.Event is "ended" or "gone" && o.Stage == e.Stage && o.Attempt == e.Attempt)) open.Add((folder, e.Stage!, e.Attempt));
            }
            return open;
        }

        private static bool AllOver(HeldBook book) => book.Attempts.All(a =>
            Events(a.Folder).Any(e => e.Event is "ended" or "gone" && e.Stage == a.Stage && e.Attempt == a.Attempt));

        // The complete lines of a run folder's bookbatch-run.jsonl (a torn last line is left out, as the engine does).
        private static List<(string Event, string? Title, string? Stage, int Attempt)> Events(string folder)
        {
            var events = new List<(string, string?, string?, int)>();
            var file = Path.Combine(folder, "bookbatch-run.jsonl");
            if (!File.Exists(file)) return events;
            foreach (var line in PidWatcher.CompleteLines(file))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var e = doc.RootElement;
                    string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    var attempt = e.TryGetProperty("attempt", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 0;
                    events.Add((Text("event") ?? "", Text("title"), Text("stage"), attempt));
                }
                catch (JsonException) { }
            }
            return events;
        }

    }

    /// <summary>
    /// A book of a dead worker's: the event (its kind and time), how long after it the book was free (null: not within a
    /// minute), and whether a stage of it was running then.
    /// </summary>
    internal sealed record FreeTime(string Kind, long EventMs, long? Ms, bool StageRunning);

    /// <summary>A book a worker held when it was killed: its claim's token, and the stage attempts running for it.</summary>
    internal sealed record HeldBook(string Key, string Book, long Token, List<(string Folder, string Stage, int Attempt)> Attempts);
}
