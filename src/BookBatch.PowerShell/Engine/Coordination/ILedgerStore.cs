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
    /// The ledger as the engine uses it. Most work concerns a few books: <see cref="Find"/>, <see cref="List"/> and
    /// <see cref="Change{T}"/> name the books they touch, so a store of rows reads and locks only those; the whole
    /// ledger (<see cref="Read"/>, <see cref="Update{T}"/>) is for a plan of many lines, a listing, a check or a repair.
    /// </summary>
    public interface ILedgerStore
    {
        /// <summary>Reads the whole ledger as it is now (a plan, a listing, an export): for looking at, not changing.</summary>
        BookLedger Read();

        /// <summary>
        /// The whole ledger as last written, for a reader that polls it and must never hold a batch up (the dashboard,
        /// the report): it never waits on a lock a batch holds, and while nothing was written since the last call it may
        /// return that call's ledger again, so it is for looking at only. A damaged ledger throws
        /// <see cref="LedgerCorruptException"/>.
        /// </summary>
        BookLedger ReadAsWritten();

        /// <summary>
        /// The ledger as far as a plan of <paramref name="books"/> needs it: at least every recorded book of their titles
        /// (so that finding, "not found" and "ambiguous" are as in the whole ledger). A store of rows reads only those; the
        /// file store reads the whole file, which is as cheap. For looking at, not changing.
        /// </summary>
        BookLedger ReadFor(IReadOnlyCollection<Book> books);

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
}
