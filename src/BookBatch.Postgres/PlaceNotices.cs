using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// Tells this holder's batches when any server gives a stage's place back: PostgreSQL's <c>LISTEN</c> on the channel
    /// <see cref="Channel"/>, on a connection of its own, with the stage's name as the notice's payload (sent by
    /// <see cref="StagePlace"/> as it gives a place back). Opened on the first watch; a connection lost is opened again
    /// after a second. A notice missed meanwhile, or a place freed by a session that died, costs a waiting book no more
    /// than its look every 200 ms, which stays (docs/DECISIONS.md, "Places freed elsewhere are told").
    /// </summary>
    internal sealed class PlaceNotices : IDisposable
    {
        /// <summary>The channel of the notices.</summary>
        public const string Channel = "bookbatch_places";

        private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
        private readonly StoreConnection _store;
        private readonly List<Action<string>> _watchers = new();
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        public PlaceNotices(StoreConnection store) => _store = store;

        /// <summary>Calls <paramref name="freed"/> with a stage's name whenever a place of it is given back, until the result is disposed.</summary>
        public IDisposable Watch(Action<string> freed)
        {
            lock (_watchers)
            {
                if (_stop.IsCancellationRequested) throw new ObjectDisposedException(nameof(PlaceNotices));
                _watchers.Add(freed);
                _loop ??= Task.Run(ListenAsync);
            }
            return new Unwatch(this, freed);
        }

        private async Task ListenAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var connection = _store.Open(CancellationToken.None);
                    connection.Notification += (_, notice) => Tell(notice.Payload);
                    using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection)) listen.ExecuteNonQuery();
                    while (true) await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
                catch (Exception e) when (e is NpgsqlException or StoreException or IOException or InvalidOperationException or TimeoutException) { }
                try { await Task.Delay(Retry, _stop.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }

        private void Tell(string stage)
        {
            Action<string>[] watchers;
            lock (_watchers) watchers = _watchers.ToArray();
            foreach (var watcher in watchers) watcher(stage);
        }

        /// <summary>Stops listening and closes the connection.</summary>
        public void Dispose()
        {
            Task? loop;
            lock (_watchers)
            {
                _stop.Cancel();
                loop = _loop;
            }
            try { loop?.Wait(TimeSpan.FromSeconds(5)); }
            catch (AggregateException) { }
        }

        private sealed class Unwatch : IDisposable
        {
            private readonly PlaceNotices _notices;
            private readonly Action<string> _freed;

            public Unwatch(PlaceNotices notices, Action<string> freed)
            {
                _notices = notices;
                _freed = freed;
            }

            public void Dispose()
            {
                lock (_notices._watchers) _notices._watchers.Remove(_freed);
            }
        }
    }
}
