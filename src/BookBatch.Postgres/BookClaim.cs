using System;
using System.Diagnostics;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// A book's claim: the session advisory lock of the book's identity (<see cref="Book.Key"/>) on the holder's session,
    /// and its row in <c>bookbatch_claims</c> with a new fencing token. The lock is the claim; the row says by whom and
    /// with which token, for listings and fenced writes (docs/DECISIONS.md, "Claims, places and rate windows").
    /// </summary>
    internal sealed class BookClaim : IBookClaim
    {
        // lock_not_available: the old holder's fenced write holds the claim's row; try again later.
        private const string LockNotAvailable = "55P03";
        // A takeover passes on until when the earlier holder's stages may still run at its place: its lease's end plus the
        // time its watchdog takes to record them gone (migration 0005).
        private const string Upsert =
            "INSERT INTO bookbatch_claims AS c (book_key, book, lock_key, batch_id, server, process_id, backend_pid, lease_expires) " +
            "VALUES (@key, @book, hashtext(@key), @batch, @server, @process, pg_backend_pid(), now() + @lease) " +
            "ON CONFLICT (book_key) DO UPDATE SET token = nextval('bookbatch_claim_tokens'), book = excluded.book, batch_id = excluded.batch_id, " +
            "server = excluded.server, process_id = excluded.process_id, backend_pid = excluded.backend_pid, claimed_at = now(), " +
            "lease_expires = excluded.lease_expires, elsewhere_until = GREATEST(c.elsewhere_until, c.lease_expires + interval '2 seconds') " +
            "RETURNING c.token, c.claimed_at, EXTRACT(EPOCH FROM (c.elsewhere_until - now()))::float8";

        private readonly HolderSession _session;
        private int _released;

        private BookClaim(HolderSession session, Book book, long token, LeaseHolder holder, DateTimeOffset? elsewhereUntil)
        {
            _session = session;
            ElsewhereUntil = elsewhereUntil;
            Book = book;
            Token = token;
            Holder = holder;
        }

        public Book Book { get; }
        public long Token { get; }
        public LeaseHolder Holder { get; }
        public CancellationToken Lost => _session.Lost;
        public DateTimeOffset? ElsewhereUntil { get; }

        /// <summary>Claims <paramref name="book"/> on <paramref name="session"/>; null when another holder (or this one) has it.</summary>
        public static BookClaim? TryTake(HolderSession session, Book book, string batchId)
        {
            var mark = "book:" + book.Key;
            if (!session.Mark(mark)) return null;
            BookClaim? claim = null;
            try { return claim = session.Run(c => Take(c, session, book, batchId)); }
            finally { if (claim is null) session.Unmark(mark); }
        }

        private static BookClaim? Take(NpgsqlConnection connection, HolderSession session, Book book, string batchId)
        {
            if (!AdvisoryLocks.TryLock(connection, AdvisoryLocks.Claims, book.Key)) return null;
            try { return Record(connection, session, book, batchId); }
            catch (PostgresException e) when (e.SqlState == LockNotAvailable)
            {
                AdvisoryLocks.Unlock(connection, AdvisoryLocks.Claims, book.Key);
                return null;
            }
            catch (PostgresException)
            {
                AdvisoryLocks.Unlock(connection, AdvisoryLocks.Claims, book.Key);
                throw;
            }
        }

        // The claim's row, with a new token: a takeover waits at most 2 s for a fenced write of the old holder in progress.
        private static BookClaim Record(NpgsqlConnection connection, HolderSession session, Book book, string batchId)
        {
            using var transaction = connection.BeginTransaction();
            using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '2s'", connection, transaction)) timeout.ExecuteNonQuery();
            using var command = new NpgsqlCommand(Upsert, connection, transaction);
            var process = Process.GetCurrentProcess().Id;
            command.Parameters.AddWithValue("key", book.Key);
            command.Parameters.AddWithValue("book", book.ToString());
            command.Parameters.AddWithValue("batch", batchId);
            command.Parameters.AddWithValue("server", Environment.MachineName);
            command.Parameters.AddWithValue("process", process);
            command.Parameters.AddWithValue("lease", session.Lease);
            long token;
            DateTime since;
            DateTimeOffset? elsewhereUntil;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                token = reader.GetInt64(0);
                since = reader.GetDateTime(1);
                // In this process's clock: the server's time left, from now.
                elsewhereUntil = reader.IsDBNull(2) || reader.GetDouble(2) <= 0 ? null : DateTimeOffset.UtcNow.AddSeconds(reader.GetDouble(2));
            }
            transaction.Commit();
            var holder = new LeaseHolder { Book = book.ToString(), Batch = batchId, Host = Environment.MachineName, Pid = process, Since = new DateTimeOffset(since, TimeSpan.Zero).ToLocalTime() };
            return new BookClaim(session, book, token, holder, elsewhereUntil);
        }

        public bool IsStillMine()
        {
            if (Volatile.Read(ref _released) != 0 || !_session.Fresh) return false;
            try
            {
                return _session.Run(c =>
                {
                    using var command = new NpgsqlCommand(
                        "SELECT EXISTS (SELECT 1 FROM bookbatch_claims WHERE book_key = @key AND token = @token AND backend_pid = pg_backend_pid())", c);
                    command.Parameters.AddWithValue("key", Book.Key);
                    command.Parameters.AddWithValue("token", Token);
                    return (bool)command.ExecuteScalar()!;
                });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { return false; }
        }

        /// <summary>Gives the book back: its row (if still this claim's) and its lock. A session already gone has given it back.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                if (_session.Alive) _session.Run(c =>
                {
                    // The row stays while its elsewhere_until lies ahead (the next claim must still wait for it), its lease ended.
                    using (var delete = new NpgsqlCommand(
                        "DELETE FROM bookbatch_claims WHERE book_key = @key AND token = @token AND (elsewhere_until IS NULL OR elsewhere_until <= now()); " +
                        "UPDATE bookbatch_claims SET lease_expires = now() - interval '2 seconds', backend_pid = 0 WHERE book_key = @key AND token = @token", c))
                    {
                        delete.Parameters.AddWithValue("key", Book.Key);
                        delete.Parameters.AddWithValue("token", Token);
                        delete.ExecuteNonQuery();
                    }
                    AdvisoryLocks.Unlock(c, AdvisoryLocks.Claims, Book.Key);
                    return 0;
                });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { } // the session is gone, and the lock with it
            finally { _session.Unmark("book:" + Book.Key); }
        }
    }
}
