using System;
using System.Threading;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The connection listings and peeks read on (and the queue's pause is switched on), apart from the holder's session, so that a reader never waits for a
    /// holder's statement (which may itself wait on a lock). Opened when first needed, opened again after a failure.
    /// </summary>
    internal sealed class ReaderConnection : IDisposable
    {
        private readonly StoreConnection _store;
        private readonly object _gate = new();
        private NpgsqlConnection? _connection;

        public ReaderConnection(StoreConnection store) => _store = store;

        /// <summary>Runs one read.</summary>
        public T Read<T>(Func<NpgsqlConnection, T> read)
        {
            lock (_gate)
            {
                _connection ??= _store.Open(CancellationToken.None);
                try { return read(_connection); }
                catch (NpgsqlException)
                {
                    _connection.Dispose();
                    _connection = null;
                    throw;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate) _connection?.Dispose();
        }
    }
}
