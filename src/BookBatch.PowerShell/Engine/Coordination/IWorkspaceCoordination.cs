using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// Everything a batch agrees on with the other batches of its workspace, in any process (DESIGN 5, 8): the ledger,
    /// who holds which book, the places of each stage's <c>concurrency</c>, and each stage's rate window. Every claim
    /// dies with its holder. <see cref="FileCoordination"/> keeps them in the workspace's files; a store shared by
    /// several machines (PostgreSQL: rows, advisory locks) would stand beside it, and the scheduler would not know.
    /// </summary>
    public interface IWorkspaceCoordination
    {
        /// <summary>The ledger (database.json): read, and changed under its lock.</summary>
        ILedgerStore Ledger { get; }

        /// <summary>Takes a book for a batch; null when someone else holds it. Disposing gives it back.</summary>
        IDisposable? TryHoldBook(Book book, string batchId);

        /// <summary>What holds a book, given the run folder the ledger names: a live batch, a leftover stage process, a review (none without <paramref name="stages"/>: unreadable settings).</summary>
        Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages);

        /// <summary>Takes a place of a stage with a concurrency limit; null when every place is held.</summary>
        IStageSlot? TryTakeSlot(StageSettings stage);

        /// <summary>The rate window (and "not now") of a stage.</summary>
        IRateWindow RateOf(StageSettings stage);
    }

    /// <summary>
    /// The ledger as the engine uses it. Most work concerns a few books: <see cref="Find"/>, <see cref="List"/> and
    /// <see cref="Change{T}"/> name the books they touch, so a store of rows reads and locks only those; the whole
    /// ledger (<see cref="Read"/>, <see cref="Update{T}"/>) is for a plan of many lines, a listing, a check or a repair.
    /// </summary>
    public interface ILedgerStore
    {
        /// <summary>Reads the whole ledger as it is now (a plan, a listing, an export): for looking at, not changing.</summary>
        BookLedger Read();

        /// <summary>Finds one book as the ledger records it now.</summary>
        BookMatch Find(Book book);

        /// <summary>The recorded books that <paramref name="filter"/> keeps, in the ledger's order.</summary>
        IReadOnlyList<LedgerEntry> List(Func<LedgerEntry, bool> filter);

        /// <summary>
        /// Changes the named books under the ledger's lock, in one write: <paramref name="change"/> finds, adds and
        /// removes only those books, and returns true when it changed something (only then is anything written).
        /// </summary>
        T Change<T>(IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default);

        /// <summary>Changes the whole ledger under its lock (a repair, an import): read, change, write.</summary>
        T Update<T>(Func<BookLedger, (bool Changed, T Result)> change, CancellationToken cancellation = default);
    }

    /// <summary>One place of a stage's concurrency, held by one attempt until its process ends.</summary>
    public interface IStageSlot : IDisposable
    {
        /// <summary>Names the attempt's token just before its process starts (a host may die before it can name the process).</summary>
        void Expect(string token);

        /// <summary>Names the attempt's process, so that the place stays taken while a leftover of it runs.</summary>
        void Record(ProcessIdentity process);
    }

    /// <summary>A stage's starts within its rate window, and its "not now", for the whole workspace.</summary>
    public interface IRateWindow
    {
        /// <summary>Counts a start now if allowed; otherwise false, with when to try again.</summary>
        bool TryStart(DateTimeOffset now, CancellationToken cancellation, out DateTimeOffset nextOpening);

        /// <summary>When a start may next be tried.</summary>
        DateTimeOffset NextOpening(DateTimeOffset now);

        /// <summary>No start before <paramref name="until"/> (the stage said "not now").</summary>
        void Block(DateTimeOffset until, DateTimeOffset now);
    }

    /// <summary>The workspace's files as the coordination of its batches.</summary>
    public sealed class FileCoordination : IWorkspaceCoordination
    {
        private readonly Workspaces.Workspace _workspace;

        /// <summary>The coordination kept in a workspace's files.</summary>
        public FileCoordination(Workspaces.Workspace workspace)
        {
            _workspace = workspace;
            Ledger = new LedgerStore(workspace);
        }

        /// <inheritdoc />
        public ILedgerStore Ledger { get; }

        /// <inheritdoc />
        public IDisposable? TryHoldBook(Book book, string batchId) => BookLease.TryAcquire(_workspace, book, batchId);

        /// <inheritdoc />
        public Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages) => BookHolds.Reader(_workspace, stages);

        /// <inheritdoc />
        public IStageSlot? TryTakeSlot(StageSettings stage) => StageSlot.TryTake(_workspace, stage);

        /// <inheritdoc />
        public IRateWindow RateOf(StageSettings stage) => new RateWindow(_workspace, stage);
    }
}
