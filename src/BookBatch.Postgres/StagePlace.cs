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
    /// is free but whose row names a stage process still running on this server (a killed batch's leftover) is not free.
    /// </summary>
    internal sealed class StagePlace : IStageSlot
    {
        private const string Upsert =
            "INSERT INTO bookbatch_stage_places AS p (stage, place, lock_key, holder, server, process_id, backend_pid) " +
            "VALUES (@stage, @place, hashtext(@name), @holder, @server, @process, pg_backend_pid()) " +
            "ON CONFLICT (stage, place) DO UPDATE SET lock_key = excluded.lock_key, holder = excluded.holder, server = excluded.server, " +
            "process_id = excluded.process_id, backend_pid = excluded.backend_pid, taken_at = now(), attempt_token = NULL, " +
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

        /// <summary>Takes a free place of <paramref name="stage"/>; null when all are held.</summary>
        public static StagePlace? TryTake(HolderSession session, StageSettings stage, string holder)
        {
            for (var n = 0; n < stage.Concurrency; n++)
            {
                var name = NameOf(stage.Name, n);
                if (!session.Mark("place:" + name)) continue;
                var taken = false;
                try { taken = session.Run(c => Take(c, stage.Name, n, holder)); }
                finally { if (!taken) session.Unmark("place:" + name); }
                if (taken) return new StagePlace(session, stage.Name, n);
            }
            return null;
        }

        private static bool Take(NpgsqlConnection connection, string stage, int place, string holder)
        {
            var name = NameOf(stage, place);
            if (!AdvisoryLocks.TryLock(connection, AdvisoryLocks.Places, name)) return false;
            if (LeftoverRuns(connection, stage, place))
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
            command.ExecuteNonQuery();
            return true;
        }

        // The stage process the place's last holder left running on this server (another server's cannot be seen from here).
        private static bool LeftoverRuns(NpgsqlConnection connection, string stage, int place)
        {
            using var command = new NpgsqlCommand(
                "SELECT attempt_token, stage_pid, stage_started, stage_boot_ticks FROM bookbatch_stage_places " +
                "WHERE stage = @stage AND place = @place AND server = @server", connection);
            command.Parameters.AddWithValue("stage", stage);
            command.Parameters.AddWithValue("place", place);
            command.Parameters.AddWithValue("server", Environment.MachineName);
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return false;
            if (!reader.IsDBNull(1))
                return new ProcessIdentity(reader.GetInt32(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                    reader.IsDBNull(3) ? null : reader.GetInt64(3)).IsAlive();
            return !reader.IsDBNull(0) && ProcessIdentity.FindByToken(reader.GetString(0)) != null;
        }

        public void Expect(string token) =>
            Note("attempt_token = @token, stage_pid = NULL, stage_started = NULL, stage_boot_ticks = NULL", ("token", token));

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

        /// <summary>Gives the place back (its process has ended): the row forgets the process, then the lock goes.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            try
            {
                if (_session.Alive) _session.Run(c =>
                {
                    using (var delete = new NpgsqlCommand("DELETE FROM bookbatch_stage_places WHERE stage = @stage AND place = @place AND backend_pid = pg_backend_pid()", c))
                    {
                        delete.Parameters.AddWithValue("stage", _stage);
                        delete.Parameters.AddWithValue("place", _place);
                        delete.ExecuteNonQuery();
                    }
                    AdvisoryLocks.Unlock(c, AdvisoryLocks.Places, Name);
                    return 0;
                });
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException) { }
            finally { _session.Unmark("place:" + Name); }
        }

        private static string NameOf(string stage, int place) => stage + "#" + place.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
