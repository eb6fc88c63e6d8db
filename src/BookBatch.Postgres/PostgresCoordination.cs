using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Settings;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// One holder's coordination on a PostgreSQL store: its claims and places are session advisory locks of its own
    /// session (<see cref="HolderSession"/>), which the server ends after the lease when the holder falls silent; the rows
    /// beside them say who holds what. A session the server ended is replaced for what is taken next; what was taken on it
    /// is lost (docs/DECISIONS.md, "Claims, places and rate windows").
    /// </summary>
    public sealed class PostgresCoordination : IPostgresCoordination
    {
        private static readonly string LiveClaims =
            "SELECT book, batch_id, server, process_id, claimed_at FROM bookbatch_claims c WHERE " + AdvisoryLocks.Held("c", AdvisoryLocks.Claims);

        private readonly StoreConnection _store;
        private readonly ReaderConnection _reader;
        private readonly PlaceNotices _notices;
        private readonly object _gate = new();
        private HolderSession? _session;

        /// <summary>Opens a holder's coordination on the store <paramref name="settings"/> names (PostgresLibrary calls this).</summary>
        public PostgresCoordination(PostgresSettings settings, string? password, string passwordSource, TimeSpan lease)
        {
            if (lease < TimeSpan.FromSeconds(1)) throw new ArgumentOutOfRangeException(nameof(lease), lease, "A lease is at least a second.");
            _store = new StoreConnection(settings, password, passwordSource);
            // The reader holds no session state (no lock outlives a statement): its connection may come from the pool.
            _reader = new ReaderConnection(new StoreConnection(settings, password, passwordSource, pooled: true));
            _reader.Read(c => _store.RequireLatestSchema(c));
            Lease = lease;
            Queue = new PostgresWorkQueue(Session, _reader);
            _notices = new PlaceNotices(_store);
        }

        /// <inheritdoc />
        public IWorkQueue Queue { get; }

        /// <inheritdoc />
        public TimeSpan Lease { get; }

        /// <inheritdoc />
        public bool HoldsFresh
        {
            get
            {
                lock (_gate) return _session is null || _session.Fresh;
            }
        }

        /// <inheritdoc />
        public IBookClaim? TryClaim(Book book, string batchId) => BookClaim.TryTake(Session(), book, batchId);

        /// <inheritdoc />
        public IStageSlot? TryTakeSlot(StageSettings stage, Func<string, StageAttemptMark, bool> attemptOver) =>
            StagePlace.TryTake(Session(), stage, "process " + System.Diagnostics.Process.GetCurrentProcess().Id, attemptOver);

        /// <inheritdoc />
        public IDisposable WatchPlaces(Action<string> freed) => _notices.Watch(freed);

        /// <inheritdoc />
        public IRateWindow RateOf(StageSettings stage) => new PostgresRateWindow(Session(), _reader, stage);

        /// <inheritdoc />
        public int PlacesInUse(string stage) => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand(
                "SELECT count(*) FROM bookbatch_stage_places p WHERE p.stage = @stage AND " + AdvisoryLocks.Held("p", AdvisoryLocks.Places), c);
            command.Parameters.AddWithValue("stage", stage);
            return (int)(long)command.ExecuteScalar()!;
        });

        /// <inheritdoc />
        public LeaseHolder? HolderOf(Book book)
        {
            var holders = Holders(" AND c.book_key = @key", book.Key);
            return holders.Count == 0 ? null : holders[0];
        }

        /// <inheritdoc />
        public IReadOnlyList<LeaseHolder> LiveHolders() => Holders(" ORDER BY claimed_at", null);

        /// <inheritdoc />
        public IReadOnlyDictionary<string, LeaseHolder?> Claims() => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand(
                "SELECT book_key, book, batch_id, server, process_id, claimed_at, " + AdvisoryLocks.Held("c", AdvisoryLocks.Claims) + " FROM bookbatch_claims c", c);
            using var reader = command.ExecuteReader();
            var claims = new Dictionary<string, LeaseHolder?>(StringComparer.Ordinal);
            while (reader.Read()) claims[reader.GetString(0)] = reader.GetBoolean(6) ? HolderAt(reader, 1) : null;
            return (IReadOnlyDictionary<string, LeaseHolder?>)claims;
        });

        // The holder of the row <paramref name="reader"/> is on, from column <paramref name="first"/>: book, batch, server, process, since.
        private static LeaseHolder HolderAt(NpgsqlDataReader reader, int first) => new()
        {
            Book = reader.GetString(first), Batch = reader.GetString(first + 1), Host = reader.GetString(first + 2), Pid = reader.GetInt32(first + 3),
            Since = new DateTimeOffset(reader.GetDateTime(first + 4), TimeSpan.Zero).ToLocalTime(),
        };

        private List<LeaseHolder> Holders(string condition, string? key) => _reader.Read(c =>
        {
            using var command = new NpgsqlCommand(LiveClaims + condition, c);
            if (key != null) command.Parameters.AddWithValue("key", key);
            using var reader = command.ExecuteReader();
            var holders = new List<LeaseHolder>();
            while (reader.Read()) holders.Add(HolderAt(reader, 0));
            return holders;
        });

        // The holder's session, opened when something is first taken (a listing needs none); one the server ended is
        // replaced (what was taken on it stays lost).
        private HolderSession Session()
        {
            lock (_gate)
            {
                if (_session is { Alive: true }) return _session;
                // A session given up while a statement of it is stuck on the network is closed aside, not waited for.
                if (_session is { } gone) ThreadPool.QueueUserWorkItem(_ => gone.Dispose());
                return _session = HolderSession.Open(_store, Lease, CancellationToken.None);
            }
        }

        /// <summary>Ends the holder's session: every claim and place it holds is given back.</summary>
        public void Dispose()
        {
            _notices.Dispose();
            lock (_gate) _session?.Dispose();
            _reader.Dispose();
        }
    }
}
