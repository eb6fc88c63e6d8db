using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// A stage's <c>rate</c> and "not now" across all servers: one row a start in <c>bookbatch_rate_starts</c> and the stage's
    /// "not now" in <c>bookbatch_rate_blocks</c>, counted and added in one transaction under the stage's transaction-scoped
    /// advisory lock, at the database's clock (servers' clocks differ; the caller's <c>now</c> only translates the answer).
    /// A start stays counted whoever made it, a process that died since included; starts are kept an hour past their
    /// window (to look back at), then deleted by the next start.
    /// </summary>
    internal sealed class PostgresRateWindow : IRateWindow
    {
        private const string State =
            "WITH t AS (SELECT clock_timestamp() AS at) SELECT t.at, " +
            "(SELECT blocked_until FROM bookbatch_rate_blocks WHERE stage = @stage), " +
            "ARRAY(SELECT started_at FROM bookbatch_rate_starts WHERE stage = @stage AND started_at > t.at - @window ORDER BY started_at) FROM t";

        private readonly HolderSession _session;
        private readonly ReaderConnection _reader;
        private readonly StageSettings _stage;

        public PostgresRateWindow(HolderSession session, ReaderConnection reader, StageSettings stage)
        {
            _session = session;
            _reader = reader;
            _stage = stage;
        }

        private TimeSpan Window => _stage.Rate?.Window ?? TimeSpan.Zero;

        public bool TryStart(DateTimeOffset now, CancellationToken cancellation, out DateTimeOffset nextOpening)
        {
            if (_stage.Rate is null)
            {
                // Nothing to count: only a block keeps a start back, and reading it takes one statement on the reader,
                // no lock and no transaction on the holder's session (every start of every stage asked there before).
                // A block set a moment later holds from the next start on, as it would behind the lock.
                var state = _reader.Read(c => Read(c, null));
                var open = Opening(state);
                nextOpening = now + (open - state.Now);
                return open <= state.Now;
            }
            var (started, opening) = _session.Run(c => Locked(c, cancellation, (t, state) =>
            {
                var open = Opening(state);
                if (open > state.Now || _stage.Rate is null) return (open <= state.Now, open);
                Execute(c, t, "INSERT INTO bookbatch_rate_starts (stage, started_at) VALUES (@stage, @at); " +
                              "DELETE FROM bookbatch_rate_starts WHERE stage = @stage AND started_at <= @at - @window - interval '1 hour'", ("at", state.Now));
                return (true, open);
            }));
            nextOpening = now + (opening.Value - opening.Now);
            return started;
        }

        public (int Starts, DateTimeOffset NextOpening) Peek(DateTimeOffset now)
        {
            var state = _reader.Read(c => Read(c, null));
            return (state.Starts.Count, now + (Opening(state) - state.Now));
        }

        public DateTimeOffset NextOpening(DateTimeOffset now) => Peek(now).NextOpening;

        public void Block(DateTimeOffset until, DateTimeOffset now) =>
            _session.Run(c => Locked(c, CancellationToken.None, (t, state) =>
            {
                Execute(c, t, "INSERT INTO bookbatch_rate_blocks (stage, blocked_until) VALUES (@stage, @until) ON CONFLICT (stage) DO UPDATE " +
                              "SET blocked_until = greatest(bookbatch_rate_blocks.blocked_until, excluded.blocked_until)", ("until", state.Now + (until - now)));
                return (true, (DateTime?)null);
            }));

        // When a start may next be made, at the database's clock.
        private DateTime Opening(WindowState state)
        {
            var opening = state.BlockedUntil is DateTime blocked && blocked > state.Now ? blocked : state.Now;
            var rate = _stage.Rate;
            if (rate != null && state.Starts.Count >= rate.Starts)
            {
                var windowOpens = state.Starts[state.Starts.Count - rate.Starts] + rate.Window;
                if (windowOpens > opening) opening = windowOpens;
            }
            return opening;
        }

        // One transaction under the stage's lock: the state read after the lock is taken, then the change; the answer
        // comes back with the database's clock so the caller's can be put in its place.
        private (bool, (DateTime Value, DateTime Now)) Locked<T>(NpgsqlConnection c, CancellationToken cancellation,
            Func<NpgsqlTransaction, WindowState, (bool Done, T Opening)> change)
        {
            using var transaction = c.BeginTransaction();
            AdvisoryLocks.LockForTransaction(c, transaction, AdvisoryLocks.Rates, _stage.Name, cancellation);
            var state = Read(c, transaction);
            var (done, opening) = change(transaction, state);
            transaction.Commit();
            return (done, (opening is DateTime at ? at : state.Now, state.Now));
        }

        private WindowState Read(NpgsqlConnection c, NpgsqlTransaction? t)
        {
            using var command = new NpgsqlCommand(State, c, t);
            command.Parameters.AddWithValue("stage", _stage.Name);
            command.Parameters.AddWithValue("window", Window);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new WindowState(reader.GetDateTime(0), reader.IsDBNull(1) ? null : reader.GetDateTime(1), new List<DateTime>(reader.GetFieldValue<DateTime[]>(2)));
        }

        private void Execute(NpgsqlConnection c, NpgsqlTransaction t, string sql, (string Name, object Value) value)
        {
            using var command = new NpgsqlCommand(sql, c, t);
            command.Parameters.AddWithValue("stage", _stage.Name);
            command.Parameters.AddWithValue("window", Window);
            command.Parameters.AddWithValue(value.Name, value.Value);
            command.ExecuteNonQuery();
        }

        private sealed class WindowState
        {
            public WindowState(DateTime now, DateTime? blockedUntil, List<DateTime> starts)
            {
                Now = now;
                BlockedUntil = blockedUntil;
                Starts = starts;
            }

            public DateTime Now { get; }
            public DateTime? BlockedUntil { get; }
            public List<DateTime> Starts { get; }
        }
    }
}
