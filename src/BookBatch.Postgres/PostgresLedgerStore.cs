using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The ledger in <c>bookbatch_books</c>, one row a book with its database.json entry as written, and the file's other
    /// top-level keys in <c>bookbatch_ledger_keys</c>. A change of named books locks their titles (an advisory lock a
    /// title, so two adds of one new book wait for each other) and their rows <c>FOR UPDATE</c>, and writes only the rows
    /// that changed; a change of the whole ledger locks the table against every other change (readers never wait).
    /// </summary>
    public sealed class PostgresLedgerStore : IPostgresLedger
    {
        // The space of the two-key advisory locks of titles ("BK"): apart from the migration's one-key lock.
        private const int TitleLockSpace = 0x424B;
        private const string Columns = "title, title_key, author, url, status, run_folder, entry";

        private readonly StoreConnection _connection;
        private bool _schemaChecked;

        /// <summary>Creates the ledger of the store <paramref name="settings"/> names (PostgresLibrary calls this).</summary>
        public PostgresLedgerStore(PostgresSettings settings, string? password, string passwordSource) =>
            _connection = new StoreConnection(settings, password, passwordSource, pooled: true);

        /// <inheritdoc />
        public BookLedger Read() => InTransaction(IsolationLevel.RepeatableRead, default, (c, t) =>
            LedgerRows.Join(Rows(c, t, "SELECT book_id, entry FROM bookbatch_books ORDER BY entry_order", default).Select(r => r.Entry), Keys(c, t), _connection.Name));

        /// <summary>The same as <see cref="Read"/>: a snapshot of the last commit, which never waits on a writer's lock.</summary>
        public BookLedger ReadAsWritten() => Read();

        /// <inheritdoc />
        public BookLedger ReadFor(IReadOnlyCollection<Book> books) => InTransaction(IsolationLevel.RepeatableRead, default, (c, t) =>
            Ledger(Rows(c, t, "SELECT book_id, entry FROM bookbatch_books WHERE title_key = ANY(@keys) ORDER BY entry_order", default, TitleKeys(books))));

        /// <inheritdoc />
        public BookMatch Find(Book book) => InTransaction(IsolationLevel.ReadCommitted, default, (c, t) =>
            Ledger(Rows(c, t, "SELECT book_id, entry FROM bookbatch_books WHERE title_key = ANY(@keys) ORDER BY entry_order", default, TitleKeys(new[] { book }))).Find(book));

        /// <inheritdoc />
        public IReadOnlyList<LedgerEntry> List(Func<LedgerEntry, bool> filter) => Read().Books.Where(filter).ToList();

        /// <inheritdoc />
        public T Change<T>(IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
            Change(null, books, change, cancellation);

        /// <inheritdoc />
        public T ChangeFenced<T>(IBookClaim claim, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
            Change(claim, books, change, cancellation);

        private T Change<T>(IBookClaim? fence, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation) =>
            InTransaction(IsolationLevel.ReadCommitted, cancellation, (c, t) =>
            {
                if (fence != null) ClaimFence.Require(c, t, fence);
                var keys = TitleKeys(books);
                StoreConnection.Execute(c, t, "LOCK TABLE bookbatch_books IN ROW EXCLUSIVE MODE", cancellation);
                foreach (var key in keys) // in one order, so two changes of several books cannot wait for each other
                    StoreConnection.Execute(c, t, "SELECT pg_advisory_xact_lock(@space, hashtext(@key))", cancellation, ("space", TitleLockSpace), ("key", key));
                var rows = Rows(c, t, "SELECT book_id, entry FROM bookbatch_books WHERE title_key = ANY(@keys) ORDER BY entry_order FOR UPDATE", cancellation, keys);
                var ledger = Ledger(rows);
                var before = Before(ledger, rows);
                var (changed, result) = change(new BookEdit(ledger, books));
                if (changed) Save(c, t, ledger, LedgerRows.Split(ledger).Books, before, cancellation);
                return result;
            });

        /// <inheritdoc />
        public T Update<T>(Func<BookLedger, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
            InTransaction(IsolationLevel.ReadCommitted, cancellation, (c, t) =>
            {
                StoreConnection.Execute(c, t, "LOCK TABLE bookbatch_books IN EXCLUSIVE MODE", cancellation);
                var rows = Rows(c, t, "SELECT book_id, entry FROM bookbatch_books ORDER BY entry_order", cancellation);
                var keys = Keys(c, t);
                var ledger = LedgerRows.Join(rows.Select(r => r.Entry), keys, _connection.Name);
                var before = Before(ledger, rows);
                var (changed, result) = change(ledger);
                if (!changed) return result;
                var written = LedgerRows.Split(ledger);
                if (!written.Keys.SequenceEqual(keys)) WriteKeys(c, t, written.Keys, cancellation);
                Save(c, t, ledger, written.Books, before, cancellation);
                return result;
            });

        /// <inheritdoc />
        public int Load(BookLedger ledger, bool replace, CancellationToken cancellation) =>
            InTransaction(IsolationLevel.ReadCommitted, cancellation, (c, t) =>
            {
                StoreConnection.Execute(c, t, "LOCK TABLE bookbatch_books IN EXCLUSIVE MODE", cancellation);
                using (var count = new NpgsqlCommand("SELECT count(*) FROM bookbatch_books", c, t))
                {
                    var held = (long)count.ExecuteScalar()!;
                    if (held > 0 && !replace) throw new StoreNotEmptyException(_connection.Name, held);
                }
                StoreConnection.Execute(c, t, "DELETE FROM bookbatch_books", cancellation);
                var (books, keys) = LedgerRows.Split(ledger);
                using (var import = c.BeginBinaryImport($"COPY bookbatch_books ({Columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    for (var i = 0; i < books.Count; i++)
                    {
                        import.StartRow();
                        foreach (var value in Values(ledger.Books[i], books[i]))
                            if (value is null) import.WriteNull(); else import.Write(value, NpgsqlDbType.Text);
                        cancellation.ThrowIfCancellationRequested();
                    }
                    import.Complete();
                }
                WriteKeys(c, t, keys, cancellation);
                return books.Count;
            });

        /// <inheritdoc />
        public int LoadRates(IReadOnlyList<StageRateHistory> rates, CancellationToken cancellation) =>
            InTransaction(IsolationLevel.ReadCommitted, cancellation, (c, t) =>
            {
                var added = 0;
                foreach (var history in rates)
                {
                    // Under the stage's window lock, as a start is counted (PostgresRateWindow).
                    AdvisoryLocks.LockForTransaction(c, t, AdvisoryLocks.Rates, history.Stage, cancellation);
                    foreach (var start in history.Starts)
                    {
                        using var insert = new NpgsqlCommand(
                            "INSERT INTO bookbatch_rate_starts (stage, started_at) SELECT @stage, @at " +
                            "WHERE NOT EXISTS (SELECT 1 FROM bookbatch_rate_starts WHERE stage = @stage AND started_at = @at)", c, t);
                        insert.Parameters.AddWithValue("stage", history.Stage);
                        insert.Parameters.AddWithValue("at", start);
                        added += insert.ExecuteNonQuery();
                        cancellation.ThrowIfCancellationRequested();
                    }
                    if (history.BlockedUntil is not DateTimeOffset until) continue;
                    using var block = new NpgsqlCommand(
                        "INSERT INTO bookbatch_rate_blocks (stage, blocked_until) VALUES (@stage, @until) ON CONFLICT (stage) DO UPDATE " +
                        "SET blocked_until = greatest(bookbatch_rate_blocks.blocked_until, excluded.blocked_until)", c, t);
                    block.Parameters.AddWithValue("stage", history.Stage);
                    block.Parameters.AddWithValue("until", until);
                    block.ExecuteNonQuery();
                }
                return added;
            });

        /// <inheritdoc />
        public long Count(CancellationToken cancellation) => InTransaction(IsolationLevel.ReadCommitted, cancellation, (c, t) =>
        {
            using var count = new NpgsqlCommand("SELECT count(*) FROM bookbatch_books", c, t);
            using (cancellation.Register(count.Cancel)) return (long)count.ExecuteScalar()!;
        });

        private T InTransaction<T>(IsolationLevel isolation, CancellationToken cancellation, Func<NpgsqlConnection, NpgsqlTransaction, T> work)
        {
            using var connection = _connection.Open(cancellation);
            using var transaction = connection.BeginTransaction(isolation);
            CheckSchema(connection, transaction, cancellation);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }

        // The ledger is read and written only in the schema this module knows.
        private void CheckSchema(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellation)
        {
            if (_schemaChecked) return;
            var version = StoreConnection.SchemaVersion(connection, transaction, cancellation);
            if (version == 0) throw new StoreSchemaMissingException(_connection.Name);
            if (version < Migration.Latest) throw new StoreSchemaOlderException(_connection.Name, version, Migration.Latest);
            if (version > Migration.Latest) throw new StoreSchemaNewerException(_connection.Name, version, Migration.Latest);
            _schemaChecked = true;
        }

        // The titles as BookBatch compares them, once each, in one order.
        private static string[] TitleKeys(IEnumerable<Book> books) =>
            books.Select(b => Book.Fold(b.Title)).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal).ToArray();

        private BookLedger Ledger(List<(string Id, string Entry)> rows) =>
            LedgerRows.Join(rows.Select(r => r.Entry), Array.Empty<KeyValuePair<string, string>>(), _connection.Name);

        // Each entry of the ledger as read, with its row.
        private static Dictionary<LedgerEntry, (string Id, string Entry)> Before(BookLedger ledger, List<(string Id, string Entry)> rows)
        {
            var before = new Dictionary<LedgerEntry, (string, string)>(rows.Count);
            for (var i = 0; i < rows.Count; i++) before[ledger.Books[i]] = rows[i];
            return before;
        }

        // Writes the rows of the books whose text (as written: texts) changed, adds the new ones and deletes the ones removed.
        private static void Save(NpgsqlConnection c, NpgsqlTransaction t, BookLedger ledger, List<string> texts,
            Dictionary<LedgerEntry, (string Id, string Entry)> before, CancellationToken cancellation)
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < texts.Count; i++)
            {
                var entry = ledger.Books[i];
                if (before.TryGetValue(entry, out var row))
                {
                    kept.Add(row.Id);
                    if (row.Entry == texts[i]) continue;
                    Write(c, t, $"UPDATE bookbatch_books SET ({Columns}, updated_at) = (@title, @title_key, @author, @url, @status, @run_folder, @entry::json, now()) WHERE book_id = @id",
                        entry, texts[i], row.Id, cancellation);
                }
                else Write(c, t, $"INSERT INTO bookbatch_books ({Columns}) VALUES (@title, @title_key, @author, @url, @status, @run_folder, @entry::json)",
                    entry, texts[i], null, cancellation);
            }
            var removed = before.Values.Select(r => r.Id).Where(id => !kept.Contains(id)).ToArray();
            if (removed.Length > 0) StoreConnection.Execute(c, t, "DELETE FROM bookbatch_books WHERE book_id = ANY(@ids)", cancellation, ("ids", removed));
        }

        private static void Write(NpgsqlConnection c, NpgsqlTransaction t, string sql, LedgerEntry entry, string text, string? id, CancellationToken cancellation)
        {
            using var command = new NpgsqlCommand(sql, c, t);
            var names = new[] { "title", "title_key", "author", "url", "status", "run_folder", "entry" };
            var values = Values(entry, text);
            for (var i = 0; i < names.Length; i++) command.Parameters.Add(new NpgsqlParameter(names[i], NpgsqlDbType.Text) { Value = (object?)values[i] ?? DBNull.Value });
            if (id != null) command.Parameters.AddWithValue("id", id);
            using (cancellation.Register(command.Cancel)) command.ExecuteNonQuery();
        }

        // The columns of a book, in the order of Columns.
        private static string?[] Values(LedgerEntry entry, string text) =>
            new[] { entry.Book.Title, Book.Fold(entry.Book.Title), entry.Book.Author, entry.YouTubeUrl, entry.StatusText, entry.RunFolder, text };

        private static void WriteKeys(NpgsqlConnection c, NpgsqlTransaction t, List<KeyValuePair<string, string>> keys, CancellationToken cancellation)
        {
            StoreConnection.Execute(c, t, "DELETE FROM bookbatch_ledger_keys", cancellation);
            for (var i = 0; i < keys.Count; i++)
                StoreConnection.Execute(c, t, "INSERT INTO bookbatch_ledger_keys (key, value, key_order) VALUES (@key, @value::json, @order)", cancellation,
                    ("key", keys[i].Key), ("value", keys[i].Value), ("order", i));
        }

        private static List<(string Id, string Entry)> Rows(NpgsqlConnection c, NpgsqlTransaction t, string sql, CancellationToken cancellation, string[]? keys = null)
        {
            using var command = new NpgsqlCommand(sql, c, t);
            if (keys != null) command.Parameters.AddWithValue("keys", keys);
            using var registration = cancellation.Register(command.Cancel);
            using var reader = command.ExecuteReader();
            var rows = new List<(string, string)>();
            while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1)));
            return rows;
        }

        private static List<KeyValuePair<string, string>> Keys(NpgsqlConnection c, NpgsqlTransaction t)
        {
            using var command = new NpgsqlCommand("SELECT key, value FROM bookbatch_ledger_keys ORDER BY key_order", c, t);
            using var reader = command.ExecuteReader();
            var keys = new List<KeyValuePair<string, string>>();
            while (reader.Read()) keys.Add(new KeyValuePair<string, string>(reader.GetString(0), reader.GetString(1)));
            return keys;
        }
    }
}
