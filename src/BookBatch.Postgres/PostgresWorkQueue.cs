using System;
using System.Collections.Generic;
using BookBatch.Engine.Coordination;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The queue on a PostgreSQL store: the one row of <c>bookbatch_queue</c> says whether it is paused, and a worker is a
    /// row of <c>bookbatch_workers</c> alive while its holder's session holds the worker's advisory lock (as a claim is).
    /// </summary>
    internal sealed class PostgresWorkQueue : IWorkQueue
    {
        private static readonly string LiveWorkers =
            "SELECT worker_id, server, process_id, started_at, heartbeat_at, activity, books, batch_id FROM bookbatch_workers w WHERE " +
            AdvisoryLocks.Held("w", AdvisoryLocks.Workers) + " ORDER BY started_at";

        private readonly Func<HolderSession> _session;
        private readonly ReaderConnection _reader;

        public PostgresWorkQueue(Func<HolderSession> session, ReaderConnection reader)
        {
            _session = session;
            _reader = reader;
        }

        public DateTimeOffset? PausedSince() => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand("SELECT CASE WHEN paused THEN changed_at END FROM bookbatch_queue", c);
            return command.ExecuteScalar() is DateTime since ? new DateTimeOffset(since, TimeSpan.Zero).ToLocalTime() : (DateTimeOffset?)null;
        });

        public bool Pause() => Switch(true);

        public bool Resume() => Switch(false);

        private bool Switch(bool paused) => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand("UPDATE bookbatch_queue SET paused = @paused, changed_at = now() WHERE paused <> @paused", c);
            command.Parameters.AddWithValue("paused", paused);
            return command.ExecuteNonQuery() == 1;
        });

        public IWorkerPresence Join(string workerId)
        {
            _reader.Read(c =>
            {
                using var sweep = new NpgsqlCommand("DELETE FROM bookbatch_workers w WHERE NOT " + AdvisoryLocks.Held("w", AdvisoryLocks.Workers), c);
                return sweep.ExecuteNonQuery();
            });
            var presence = new Presence(_session, workerId);
            presence.Report(WorkerActivity.Idle, 0, null);
            return presence;
        }

        public IReadOnlyList<WorkerStatus> Workers() => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand(LiveWorkers, c);
            using var reader = command.ExecuteReader();
            var workers = new List<WorkerStatus>();
            while (reader.Read())
                workers.Add(new WorkerStatus
                {
                    Id = reader.GetString(0), Server = reader.GetString(1), ProcessId = reader.GetInt32(2),
                    Started = new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero).ToLocalTime(),
                    Heartbeat = new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero).ToLocalTime(),
                    Activity = Enum.TryParse<WorkerActivity>(reader.GetString(5), out var activity) ? activity : WorkerActivity.Idle,
                    Books = reader.GetInt32(6), Batch = reader.IsDBNull(7) ? null : reader.GetString(7),
                });
            return (IReadOnlyList<WorkerStatus>)workers;
        });

        // A worker's row and lock, on whichever session the holder has now: a session the server ended (a freeze, a
        // cut) took the lock along, and the next report takes it again on the new one.
        private sealed class Presence : IWorkerPresence
        {
            private const string Upsert =
                "INSERT INTO bookbatch_workers AS w (worker_id, server, process_id, lock_key, backend_pid, activity, books, batch_id) " +
                "VALUES (@id, @server, @process, hashtext(@id), pg_backend_pid(), @activity, @books, @batch) ON CONFLICT (worker_id) DO UPDATE " +
                "SET backend_pid = excluded.backend_pid, heartbeat_at = now(), activity = excluded.activity, books = excluded.books, batch_id = excluded.batch_id";

            private readonly Func<HolderSession> _session;
            private readonly string _id;
            private HolderSession? _marked;

            public Presence(Func<HolderSession> session, string id)
            {
                _session = session;
                _id = id;
            }

            public void Report(WorkerActivity activity, int books, string? batch)
            {
                var session = _session();
                session.Run(c =>
                {
                    if (session.Mark("worker:" + _id) && !AdvisoryLocks.TryLock(c, AdvisoryLocks.Workers, _id))
                        throw new InvalidOperationException($"The worker '{_id}' is running already.");
                    _marked = session;
                    using var command = new NpgsqlCommand(Upsert, c);
                    command.Parameters.AddWithValue("id", _id);
                    command.Parameters.AddWithValue("server", Environment.MachineName);
                    command.Parameters.AddWithValue("process", System.Diagnostics.Process.GetCurrentProcess().Id);
                    command.Parameters.AddWithValue("activity", activity.ToString());
                    command.Parameters.AddWithValue("books", books);
                    command.Parameters.AddWithValue("batch", (object?)batch ?? DBNull.Value);
                    return command.ExecuteNonQuery();
                });
            }

            public void Dispose()
            {
                var session = _marked;
                if (session is null || !session.Alive) return;
                try
                {
                    session.Run(c =>
                    {
                        using (var delete = new NpgsqlCommand("DELETE FROM bookbatch_workers WHERE worker_id = @id", c))
                        {
                            delete.Parameters.AddWithValue("id", _id);
                            delete.ExecuteNonQuery();
                        }
                        AdvisoryLocks.Unlock(c, AdvisoryLocks.Workers, _id);
                        return 0;
                    });
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { } // the session is gone, and the lock with it
                finally { session.Unmark("worker:" + _id); }
            }
        }
    }
}
