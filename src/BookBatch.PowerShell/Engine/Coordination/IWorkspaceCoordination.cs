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
    /// Everything a batch agrees on with the other batches of its workspace, in any process (docs/ARCHITECTURE.md): the
    /// ledger, who holds which book, the places of each stage's <c>concurrency</c>, and each stage's rate window. Every
    /// claim dies with its holder. The file store (<c>Engine/Coordination/Files</c>) keeps them in the workspace's files;
    /// a store shared by several machines (PostgreSQL: rows, advisory locks) would stand beside it, and the scheduler
    /// would not know. It is opened in one place, <c>WorkspaceStore.Open</c>, and disposed by whoever opened it (a store
    /// of a server gives back what this holder holds and closes its connections).
    /// </summary>
    public interface IWorkspaceCoordination : IDisposable
    {
        /// <summary>The ledger (database.json): read, and changed under its lock.</summary>
        ILedgerStore Ledger { get; }

        /// <summary>Takes a book for a batch; null when someone else holds it. Disposing gives it back.</summary>
        IHeldBook? TryHoldBook(Book book, string batchId);

        /// <summary>
        /// <see cref="ILedgerStore.Change{T}"/> of <paramref name="books"/> by the holder of <paramref name="held"/>. A store
        /// that fences (<see cref="FencesHeldWrites"/>) first checks, in the same write, that the hold is still its holder's:
        /// a hold that ran out or was taken over is a <see cref="BookHoldLostException"/>, nothing written.
        /// </summary>
        T ChangeHeld<T>(IHeldBook held, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default);

        /// <summary>
        /// True when a hold can be lost while its holder lives (a store shared by several servers) and each of a book's
        /// writes is therefore fenced by its own hold: a finished book's end is written at once, under its hold, never
        /// carried by another book's write (docs/DECISIONS.md, "Batches on the PostgreSQL store").
        /// </summary>
        bool FencesHeldWrites { get; }

        /// <summary>
        /// How long this process's holds outlive its silence (on PostgreSQL the lease: a frozen or cut-off holder's books
        /// are free after it); null where holds end only with their process (the file store). The stage watchdog ends
        /// a silent host's stages well within it (docs/DECISIONS.md, "A stage whose host died").
        /// </summary>
        TimeSpan? HoldLapse { get; }

        /// <summary>
        /// False once this process's holds may lapse: renewing them has failed for half of <see cref="HoldLapse"/>. The
        /// host then stops telling its stage watchdog that it lives. Always true on the file store.
        /// </summary>
        bool HoldsFresh { get; }

        /// <summary>What holds a book, given the run folder the ledger names: a live batch, a leftover stage process, a review (none without <paramref name="stages"/>: unreadable settings).</summary>
        Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages);

        /// <summary>Takes a place of a stage with a concurrency limit; null when every place is held.</summary>
        IStageSlot? TryTakeSlot(StageSettings stage);

        /// <summary>
        /// Calls <paramref name="freed"/> (on a thread of its own) with a stage's name whenever another batch gives a place
        /// of it back, until the result is disposed: a batch waiting for a place another batch held looks again at once
        /// instead of at its next look. Null from a store that cannot tell: its batches look every 200 ms.
        /// </summary>
        IDisposable? WatchPlaces(Action<string> freed);

        /// <summary>The rate window (and "not now") of a stage.</summary>
        IRateWindow RateOf(StageSettings stage);

        /// <summary>The batch (or command) that holds a book now; null when no one does.</summary>
        LeaseHolder? HolderOf(Book book);

        /// <summary>Every book held now, by whom (Repair-BookDatabase waits for none).</summary>
        IReadOnlyList<LeaseHolder> LiveHolders();

        /// <summary>
        /// Who holds which book as last written, without waiting on any lock a batch holds: the books held now and those a
        /// batch that died left behind. For a reader that must never hold a batch up (the dashboard, the report); it
        /// tells the live ones by their batch.
        /// </summary>
        IReadOnlyList<LeaseHolder> WrittenHolders();

        /// <summary>
        /// The stage process a batch whose host is gone left running for a recorded book, to be ended on purpose
        /// (Stop-BookStage). Throws <see cref="Ledger.BookNotFoundException"/> or <see cref="Ledger.BookAmbiguousException"/>
        /// for a book the ledger does not name once, <see cref="BookInProgressException"/> when a live batch holds it, and
        /// <see cref="BookStageNotRunningException"/> when nothing runs for it.
        /// </summary>
        /// <param name="ledger">The ledger as just read.</param>
        /// <param name="book">The book as the operator named it.</param>
        /// <param name="stages">The pipeline's stages; null when bookbatch.json cannot be read.</param>
        /// <param name="command">The command that asks, for messages.</param>
        ILeftoverStage FindLeftoverStage(BookLedger ledger, Book book, IReadOnlyList<StageSettings>? stages, string command);

        /// <summary>The book database's check, repair and creation (Test-, Repair-BookDatabase, New-BookWorkspace).</summary>
        IBookDatabaseUpkeep Upkeep { get; }

        /// <summary>The queue as its workers share it: paused or not, and who works it.</summary>
        IWorkQueue Queue { get; }
    }
}
