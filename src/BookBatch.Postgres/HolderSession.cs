using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// One holder's own session: the connection whose session advisory locks are its claims and places. The server ends
    /// it when it has been idle longer than the lease (<c>idle_session_timeout</c>, and <c>idle_in_transaction_session_timeout</c>
    /// mid-transaction), which frees every lock a frozen or cut-off holder had; a heartbeat keeps a live holder's session
    /// busy well within the lease and renews its claims' and places' <c>lease_expires</c>. A killed holder's connection closes, and the
    /// server frees its locks at once. Once the session is gone, everything taken on it is lost (docs/DECISIONS.md).
    /// </summary>
    internal sealed class HolderSession : IDisposable
    {
        // One statement: its claims' and its places' leases (a parameter used in two statements of one command fails).
        private const string Renew =
            "WITH claims AS (UPDATE bookbatch_claims SET lease_expires = now() + @lease WHERE backend_pid = pg_backend_pid() RETURNING 1) " +
            "UPDATE bookbatch_stage_places SET lease_expires = now() + @lease WHERE backend_pid = pg_backend_pid()";

        private readonly NpgsqlConnection _connection;
        private readonly object _gate = new();
        private readonly HashSet<string> _held = new(StringComparer.Ordinal);
        private readonly Thread _heartbeat;
        private readonly ManualResetEventSlim _closing = new();
        private readonly CancellationTokenSource _lostSignal = new();
        private volatile bool _lost;
        private long _renewedAt = Stopwatch.GetTimestamp(); // when the lease was last renewed (or the session opened)
        private readonly Timer _staleness;

        private HolderSession(NpgsqlConnection connection, TimeSpan lease)
        {
            _connection = connection;
            Lease = lease;
            BackendPid = Scalar<int>("SELECT pg_backend_pid()");
            _heartbeat = new Thread(Beat) { IsBackground = true, Name = "BookBatch holder heartbeat" };
            _heartbeat.Start();
            var look = TimeSpan.FromTicks(lease.Ticks / 8);
            _staleness = new Timer(_ => GiveUpWhenStale(), null, look, look);
        }

        /// <summary>How long the server lets the session sit idle before it ends it.</summary>
        public TimeSpan Lease { get; }

        /// <summary>The session's server process, as claims and places record it.</summary>
        public int BackendPid { get; }

        /// <summary>False once the session failed or was ended: nothing taken on it is held any more.</summary>
        public bool Alive => !_lost;

        /// <summary>
        /// True while the lease was renewed within half of it: past that, a renewal stuck on a silent network may not
        /// come back before the server ends the session, so the holder counts its holds as lapsing (docs/DECISIONS.md).
        /// </summary>
        public bool Fresh => !_lost && Elapsed(Volatile.Read(ref _renewedAt)) < TimeSpan.FromTicks(Lease.Ticks / 2);

        /// <summary>Cancelled once the session is found gone while its holder still runs (not when the holder ends it).</summary>
        public CancellationToken Lost => _lostSignal.Token;

        /// <summary>Opens a holder's session whose server ends it after <paramref name="lease"/> of silence.</summary>
        public static HolderSession Open(StoreConnection store, TimeSpan lease, CancellationToken cancellation)
        {
            EnsurePoolHeadroom();
            var connection = store.Open(cancellation);
            try
            {
                var ms = ((long)lease.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                using (var set = new NpgsqlCommand($"SET idle_session_timeout = {ms}; SET idle_in_transaction_session_timeout = {ms}", connection))
                    set.ExecuteNonQuery();
                return new HolderSession(connection, lease);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        // Callers wait for the gate on pool threads, and the driver's socket reads are finished by pool threads too: with the
        // pool's few threads all waiting for the gate, the read of the session holding it waited until the pool grew (a
        // thread every half second or so), so the farm stood still for many seconds and its sessions went stale. A pool
        // that starts threads at once up to this many keeps the read moving (docs/DECISIONS.md "A holder's session").
        private const int PoolThreads = 64;

        private static void EnsurePoolHeadroom()
        {
            ThreadPool.GetMinThreads(out var workers, out var ports);
            if (workers < PoolThreads) ThreadPool.SetMinThreads(PoolThreads, ports);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the session, one caller at a time; a failure of the session marks it lost.
        /// </summary>
        public T Run<T>(Func<NpgsqlConnection, T> work)
        {
            lock (_gate)
            {
                if (_lost) throw new InvalidOperationException("The holder's session to the store is gone.");
                try { return work(_connection); }
                catch (Exception e) when (Broken(e))
                {
                    MarkLost();
                    throw;
                }
            }
        }

        // Lost: nothing more is done on the session, and whatever runs for what it held is told (its listeners never
        // run on the caller's thread, which may hold the gate).
        private void MarkLost()
        {
            _lost = true;
            if (!_closing.IsSet) ThreadPool.QueueUserWorkItem(_ => _lostSignal.Cancel());
        }

        // A session that could not renew its lease for half of it is given up before the server ends it: its holder stops
        // what runs for its books while no one else can have them yet. A renewal stuck on the network is left to fail.
        private void GiveUpWhenStale()
        {
            if (_lost || _closing.IsSet || Fresh) return;
            MarkLost();
        }

        private static TimeSpan Elapsed(long since) =>
            TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - since) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));

        /// <summary>Marks <paramref name="key"/> as held by this holder; false when it already holds it (a session's advisory locks are re-entrant).</summary>
        public bool Mark(string key)
        {
            lock (_held) return _held.Add(key);
        }

        /// <summary>Forgets <paramref name="key"/>.</summary>
        public void Unmark(string key)
        {
            lock (_held) _held.Remove(key);
        }

        private T Scalar<T>(string sql)
        {
            using var command = new NpgsqlCommand(sql, _connection);
            return (T)command.ExecuteScalar()!;
        }

        private void Beat()
        {
            var every = TimeSpan.FromTicks(Lease.Ticks / 4);
            while (!_closing.Wait(every))
            {
                try
                {
                    Run(c =>
                    {
                        using var renew = new NpgsqlCommand(Renew, c);
                        renew.Parameters.AddWithValue("lease", Lease);
                        var renewed = renew.ExecuteNonQuery();
                        Volatile.Write(ref _renewedAt, Stopwatch.GetTimestamp());
                        return renewed;
                    });
                }
                catch (Exception) when (_lost || _closing.IsSet) { return; }
                catch (Exception) { } // a statement refused: the next beat tries again; a broken session is marked lost above
            }
        }

        // The session itself failed (ended by the server, the network, a closed connection), not one statement.
        private bool Broken(Exception e) =>
            _connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || _connection.State == System.Data.ConnectionState.Closed
            || e is NpgsqlException { IsTransient: true } || e is ObjectDisposedException;

        /// <summary>Ends the session: the server frees everything it held.</summary>
        public void Dispose()
        {
            _closing.Set();
            _staleness.Dispose();
            _heartbeat.Join(TimeSpan.FromSeconds(5));
            lock (_gate)
            {
                _lost = true;
                _connection.Dispose();
            }
        }
    }
}
