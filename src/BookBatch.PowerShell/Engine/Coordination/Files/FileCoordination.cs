using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Leftovers;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>The workspace's files as the coordination of its batches.</summary>
    internal sealed class FileCoordination : IWorkspaceCoordination
    {
        private readonly Workspace _workspace;
        private readonly FileCache<LeaseHolder?> _writtenHolders = new();

        /// <summary>The coordination kept in a workspace's files.</summary>
        public FileCoordination(Workspace workspace)
        {
            _workspace = workspace;
            var ledger = new LedgerStore(workspace);
            Ledger = ledger;
            Upkeep = new FileDatabaseUpkeep(ledger);
            Queue = new FileWorkQueue(workspace);
        }

        /// <inheritdoc />
        public IWorkQueue Queue { get; }

        /// <inheritdoc />
        public ILedgerStore Ledger { get; }

        /// <inheritdoc />
        public IBookDatabaseUpkeep Upkeep { get; }

        /// <inheritdoc />
        public IHeldBook? TryHoldBook(Book book, string batchId) => BookLease.TryAcquire(_workspace, book, batchId);

        /// <inheritdoc />
        /// <remarks>A book's OS lock cannot be lost while its holder lives: the write is the ledger's own.</remarks>
        public T ChangeHeld<T>(IHeldBook held, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
            Ledger.Change(books, change, cancellation);

        /// <inheritdoc />
        public bool FencesHeldWrites => false;

        /// <inheritdoc />
        /// <remarks>An OS lock lapses only with its process.</remarks>
        public TimeSpan? HoldLapse => null;

        /// <inheritdoc />
        public bool HoldsFresh => true;

        /// <inheritdoc />
        public Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages) => BookHolds.Reader(_workspace, stages);

        /// <inheritdoc />
        public IStageSlot? TryTakeSlot(StageSettings stage) => StageSlot.TryTake(_workspace, stage);

        /// <inheritdoc />
        /// <remarks>A place's OS lock tells nobody when it is given back.</remarks>
        public IDisposable? WatchPlaces(Action<string> freed) => null;

        /// <inheritdoc />
        public IRateWindow RateOf(StageSettings stage) => new RateWindow(_workspace, stage);

        /// <inheritdoc />
        public LeaseHolder? HolderOf(Book book) => BookLease.HolderOf(_workspace, book);

        /// <inheritdoc />
        public IReadOnlyList<LeaseHolder> LiveHolders() => BookLease.LiveHolders(_workspace);

        /// <inheritdoc />
        /// <remarks>Not for several threads at once: what unchanged holder files said is kept between calls.</remarks>
        public IReadOnlyList<LeaseHolder> WrittenHolders() => BookLease.Written(_workspace, _writtenHolders);

        /// <inheritdoc />
        public ILeftoverStage FindLeftoverStage(BookLedger ledger, Book book, IReadOnlyList<StageSettings>? stages, string command) =>
            LeftoverStage.Find(_workspace, new BookHolding(HolderOf, (b, holder) => BookLease.TryAcquireKeepingTrail(_workspace, b, holder)), ledger, book, stages, command);

        /// <summary>Nothing to give back: every file lock is taken and released by the object that holds it.</summary>
        public void Dispose() { }
    }
}
