using System;
using System.Diagnostics;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// One place of a stage's <c>concurrency</c> across all servers: the session advisory lock of <c>stage#n</c> on the
    /// holder's session, and its row in <c>bookbatch_stage_places</c> naming the attempt and its process. A place whose lock
    /// is free is still not free while its row names a stage that may run on: a process still running on this server (a
    /// killed batch's leftover), or, at another server's place, an attempt whose holder's lease (plus the 2 s its watchdog
    /// takes) has not run out and whose run folder records neither its end nor its <c>gone</c> line (migration 0006).
    /// </summary>
    internal sealed class StagePlace : IStageSlot
    {
        private const string Upsert =
            "INSERT INTO bookbatch_stage_places AS p (stage, place, lock_key, holder, server, process_id, backend_pid, holder_place, lease_expires) " +
            "VALUES (@stage, @place, hashtext(@name), @holder, @server, @process, pg_backend_pid(), @holderPlace, now() + @lease) " +
            "ON CONFLICT (stage, place) DO UPDATE SET lock_key = excluded.lock_key, holder = excluded.holder, server = excluded.server, " +
            "process_id = excluded.process_id, backend_pid = excluded.backend_pid, taken_at = now(), holder_place = excluded.holder_place, " +
            "lease_expires = excluded.lease_expires, attempt_token = NULL, run_folder = NULL, attempt = NULL, " +
            "stage_pid = NULL, stage_started = NULL, stage_boot_ticks = NULL";

        private readonly HolderSession _session;
        private readonly string _stage;
        private readonly int _place;
        private int _released;

        private StagePlace(HolderSession session, string stage, int place)
        {
            _session = session;
            _stage = stage;
            _place = place;
        }

        private string Name => NameOf(_stage, _place);

        /// <summary>
        /// Takes a free place of <paramref name="stage"/>; null when all are held. <paramref name="attemptOver"/> tells whether
        /// an attempt a dead holder left in a place recorded its end or its <c>gone</c> line in its run folder.
        /// </summary>
        public static StagePlace? TryTake(HolderSession session, StageSettings stage, string holder, Func<string, StageAttemptMark, bool> attemptOver)
        {
            for (var n = 0; n < stage.Concurrency; n++)
            {
                var name = NameOf(stage.Name, n);
                if (!session.Mark("place:" + name)) continue;
                var taken = false;
                try { taken = session.Run(c => Take(c, session, stage.Name, n, holder, attemptOver)); }
                finally { if (!taken) session.Unmark("place:" + name); }
                if (taken) return new StagePlace(session, stage.Name, n);
            }
            return null;
        }

        private static bool Take(NpgsqlConnection connection, HolderSession session, string stage, int place, string holder, Func<string, StageAttemptMark, bool> attemptOver)
        {
            var name = NameOf(stage, place);
            // One round trip: the place's lock, and what its row says its last holder left.
            bool mayRun;
            using (var look = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, hashtext(@name)); " + Leftover, connection))
            {
                look.Parameters.AddWithValue("space", AdvisoryLocks.Places);
                look.Parameters.AddWithValue("name", name);
                look.Parameters.AddWithValue("stage", stage);
                look.Parameters.AddWithValue("place", place);
                using var reader = look.ExecuteReader();
                reader.Read();
                if (!reader.GetBoolean(0)) return false;
                reader.NextResult();
                mayRun = LeftoverMayRun(reader, stage, attemptOver);
            }
            if (mayRun)
            {
                AdvisoryLocks.Unlock(connection, AdvisoryLocks.Places, name);
                return false;
            }
            using var command = new NpgsqlCommand(Upsert, connection);
            command.Parameters.AddWithValue("stage", stage);
            command.Parameters.AddWithValue("place", place);
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("holder", holder);
            command.Parameters.AddWithValue("server", Environment.MachineName);
            command.Parameters.AddWithValue("process", Process.GetCurrentProcess().Id);
            command.Parameters.AddWithValue("holderPlace", ProcessPlace.Current);
            command.Parameters.AddWithValue("lease", session.Lease);
            command.ExecuteNonQuery();
            return true;
        }

        private const string Leftover =
            "SELECT attempt_token, stage_pid, stage_started, stage_boot_ticks, holder_place, server, " +
            "COALESCE(lease_expires + interval '2 seconds' > now(), false), run_folder, attempt " +
            "FROM bookbatch_stage_places WHERE stage = @stage AND place = @place";

        // The stage the place's last holder left that may still run (its row, <see cref="Leftover"/>, on the reader): on
        // this server, its process, looked up; at another place, which cannot be looked into, until its attempt is
        // recorded over or the holder's lease and 2 s have passed.
        private static bool LeftoverMayRun(NpgsqlDataReader reader, string stage, Func<string, StageAttemptMark, bool> attemptOver)
        {
            if (!reader.Read() || (reader.IsDBNull(0) && reader.IsDBNull(1))) return false;
            var here = reader.IsDBNull(4) ? reader.GetString(5) == Environment.MachineName : ProcessPlace.IsHere(reader.GetString(4));
            if (!here)
            {
                if (!reader.GetBoolean(6)) return false; // the holder's lease is over, and its watchdog's time
                var named = !reader.IsDBNull(0) && !reader.IsDBNull(7) && !reader.IsDBNull(8);
                return !named || !attemptOver(stage, new StageAttemptMark(reader.GetString(0), reader.GetString(7), reader.GetInt32(8)));
            }
            if (!reader.IsDBNull(1))
                return new ProcessIdentity(reader.GetInt32(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3)).IsAlive();
            return !reader.IsDBNull(0) && ProcessIdentity.FindByToken(reader.GetString(0)) != null;
        }

        public void Expect(StageAttemptMark attempt) =>
            Note("attempt_token = @token, run_folder = @folder, attempt = @attempt, stage_pid = NULL, stage_started = NULL, stage_boot_ticks = NULL",
                ("token", attempt.Token), ("folder", attempt.RunFolder), ("attempt", attempt.Attempt));

        public void Record(ProcessIdentity process) =>
            Note("stage_pid = @pid, stage_started = @started, stage_boot_ticks = @boot",
                ("pid", process.Pid), ("started", process.Started.UtcTicks), ("boot", (object?)process.BootTicks ?? DBNull.Value));

        private void Note(string assignments, params (string Name, object Value)[] values)
        {
            if (Volatile.Read(ref _released) != 0 || !_session.Alive) return;
            try
            {
                _session.Run(c =>
                {
                    using var command = new NpgsqlCommand(
                        $"UPDATE bookbatch_stage_places SET {assignments} WHERE stage = @stage AND place = @place AND backend_pid = pg_backend_pid()", c);
                    command.Parameters.AddWithValue("stage", _stage);
                    command.Parameters.AddWithValue("place", _place);
                    foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value);
                    return command.ExecuteNonQuery();
                });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { } // the session is gone: so is the place
        }

        /// <summary>Gives the place back (its process has ended): the row forgets the process, then the lock goes, and every server is told.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                // One round trip: the row, the lock, and the notice that every server's batches waiting for a place
                // of the stage look again now (PlaceNotices).
                if (_session.Alive) _session.Run(c =>
                {
                    using var release = new NpgsqlCommand(
                        "DELETE FROM bookbatch_stage_places WHERE stage = @stage AND place = @place AND backend_pid = pg_backend_pid(); " +
                        "SELECT pg_advisory_unlock(@space, hashtext(@name)); " +
                        "SELECT pg_notify('" + PlaceNotices.Channel + "', @stage)", c);
                    release.Parameters.AddWithValue("stage", _stage);
                    release.Parameters.AddWithValue("place", _place);
                    release.Parameters.AddWithValue("space", AdvisoryLocks.Places);
                    release.Parameters.AddWithValue("name", Name);
                    return release.ExecuteNonQuery();
                });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
            finally { _session.Unmark("place:" + Name); }
        }

        private static string NameOf(string stage, int place) => stage + "#" + place.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
