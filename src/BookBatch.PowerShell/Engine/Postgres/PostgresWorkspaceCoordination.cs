using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Leftovers;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The seam (<see cref="IWorkspaceCoordination"/>) on a PostgreSQL store shared by several servers: the ledger in rows,
    /// and book claims, stage places and rate windows held by this process's own session (docs/DECISIONS.md, "Batches on
    /// the PostgreSQL store"). The session is opened the first time something is held or asked about holders, so a
    /// command that only reads the ledger opens none. Every write of a held book is fenced by its claim.
    /// </summary>
    internal sealed class PostgresWorkspaceCoordination : IWorkspaceCoordination
    {
        private readonly Workspace _workspace;
        private readonly PostgresSettings _settings;
        private readonly string? _password;
        private readonly string _passwordSource;
        private readonly IPostgresLedger _ledger;
        private readonly object _gate = new();
        private IPostgresCoordination? _holder;
        private bool _disposed;

        /// <summary>The coordination of <paramref name="workspace"/>'s batches on the store <paramref name="settings"/> names.</summary>
        public PostgresWorkspaceCoordination(Workspace workspace, PostgresSettings settings, string? password, string passwordSource)
        {
            _workspace = workspace;
            _settings = settings;
            _password = password;
            _passwordSource = passwordSource;
            _ledger = PostgresLibrary.OpenLedger(settings, password, passwordSource);
            Upkeep = new PostgresUpkeep(workspace, settings.Connection, _ledger,
                () => PostgresLibrary.Open(settings, password, passwordSource).Inspect(CancellationToken.None));
        }

        /// <inheritdoc />
        public ILedgerStore Ledger => _ledger;

        /// <inheritdoc />
        public IBookDatabaseUpkeep Upkeep { get; }

        /// <inheritdoc />
        public bool FencesHeldWrites => true;

        /// <inheritdoc />
        public TimeSpan? HoldLapse => _settings.Lease;

        /// <inheritdoc />
        public bool HoldsFresh
        {
            get
            {
                lock (_gate) return _holder is null || _holder.HoldsFresh;
            }
        }

        /// <inheritdoc />
        public IWorkQueue Queue => Holder.Queue;

        // This process's session on the store, opened on first use (its heartbeat keeps what it holds).
        private IPostgresCoordination Holder
        {
            get
            {
                lock (_gate)
                {
                    if (_disposed) throw new ObjectDisposedException(nameof(PostgresWorkspaceCoordination));
                    return _holder ??= PostgresLibrary.OpenCoordination(_settings, _password, _passwordSource, _settings.Lease);
                }
            }
        }

        /// <inheritdoc />
        public IHeldBook? TryHoldBook(Book book, string batchId) => Holder.TryClaim(book, batchId) is { } claim ? new HeldClaim(claim) : null;

        /// <inheritdoc />
        public T ChangeHeld<T>(IHeldBook held, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default)
        {
            if (held is not HeldClaim claim) throw new ArgumentException("The book is not held on this store.", nameof(held));
            try { return _ledger.ChangeFenced(claim.Claim, books, change, cancellation); }
            catch (ClaimLostException e) { throw new BookHoldLostException(held.Book.ToString(), e); }
        }

        /// <inheritdoc />
        public Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages)
        {
            var claims = Holder.Claims();
            if (claims.Count == 0) return (_, _) => null;
            return (book, runFolder) =>
                !claims.TryGetValue(book.Key, out var holder) ? null
                : holder != null ? new BookHold(BookAction.InProgress, "in progress in another batch: " + holder)
                : DeadHolderLeft.Hold(_workspace, book, runFolder, stages);
        }

        /// <inheritdoc />
        public IStageSlot? TryTakeSlot(StageSettings stage) => Holder.TryTakeSlot(stage, AttemptOver);

        // Whether a dead holder's attempt in a place is recorded over in its run folder (read on the share every server reaches).
        private bool AttemptOver(string stage, StageAttemptMark attempt)
        {
            var path = _workspace.RunFolderPath(attempt.RunFolder);
            if (path is null) return false;
            try { return RunFolder.ReadDetails(path)?.AttemptOver(stage, attempt.Attempt, attempt.Token) == true; }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or RunFolderIOException) { return false; }
        }

        /// <inheritdoc />
        public IDisposable? WatchPlaces(Action<string> freed) => Holder.WatchPlaces(freed);

        /// <inheritdoc />
        public IRateWindow RateOf(StageSettings stage) => Holder.RateOf(stage);

        /// <inheritdoc />
        public LeaseHolder? HolderOf(Book book) => Holder.HolderOf(book);

        /// <inheritdoc />
        public IReadOnlyList<LeaseHolder> LiveHolders() => Holder.LiveHolders();

        /// <inheritdoc />
        /// <remarks>A dead holder's claim holds nothing once its session is gone: the live ones are what was written.</remarks>
        public IReadOnlyList<LeaseHolder> WrittenHolders() => Holder.LiveHolders();

        /// <inheritdoc />
        /// <remarks>
        /// The stage a dead batch left running at this server, as on the file store; its watchdog ends it by itself, so
        /// there is one only when the watchdog died with its host. Another server's stage is ended on that server.
        /// </remarks>
        public ILeftoverStage FindLeftoverStage(BookLedger ledger, Book book, IReadOnlyList<StageSettings>? stages, string command) =>
            LeftoverStage.Find(_workspace, new BookHolding(HolderOf, TryHoldBook), ledger, book, stages, command);

        /// <summary>Gives back every book and place this process holds on the store, and closes its session.</summary>
        public void Dispose()
        {
            IPostgresCoordination? holder;
            lock (_gate)
            {
                _disposed = true;
                holder = _holder;
                _holder = null;
            }
            holder?.Dispose();
        }

        // A book held on the store: its claim, whose token fences the book's writes.
        private sealed class HeldClaim : IHeldBook
        {
            public HeldClaim(IBookClaim claim) => Claim = claim;
            public IBookClaim Claim { get; }
            public Book Book => Claim.Book;
            public CancellationToken Lost => Claim.Lost;
            public bool IsStillHeld() => Claim.IsStillMine();
            public DateTimeOffset? ElsewhereUntil => Claim.ElsewhereUntil;
            public void Dispose() => Claim.Dispose();
        }
    }
}
