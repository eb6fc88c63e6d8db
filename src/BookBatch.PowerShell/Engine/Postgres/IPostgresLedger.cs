using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The ledger of a PostgreSQL store: one row a book, each keeping its database.json entry as written, so the ledger
    /// is written back out unchanged. Implemented in <c>BookBatch.Postgres.dll</c> and made by <see cref="PostgresLibrary"/>.
    /// A change locks only the rows (and titles) of the books it names. Every member throws a <see cref="StoreException"/>
    /// for what an operator can fix (unreachable, login, a schema missing, older or newer).
    /// </summary>
    public interface IPostgresLedger : ILedgerStore
    {
        /// <summary>
        /// Replaces the store's whole ledger with <paramref name="ledger"/> in one transaction; a store that holds books is
        /// refused (<see cref="StoreNotEmptyException"/>, nothing written) unless <paramref name="replace"/>. Returns the books written.
        /// </summary>
        int Load(BookLedger ledger, bool replace, CancellationToken cancellation);

        /// <summary>
        /// <see cref="ILedgerStore.Change"/> fenced by <paramref name="claim"/>: in the same transaction it first checks that
        /// the claim is alive and still the book's (its token); a claim taken over or run out is a
        /// <see cref="ClaimLostException"/>, nothing written. A takeover of the book waits for a fenced change in progress.
        /// </summary>
        T ChangeFenced<T>(IBookClaim claim, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default);

        /// <summary>
        /// Adds the stages' rate windows the file store kept (Import-BookBatchStore): each start the store does not have yet,
        /// and each "not now" later than the store's; returns the starts added. Importing twice adds nothing more.
        /// </summary>
        int LoadRates(IReadOnlyList<StageRateHistory> rates, CancellationToken cancellation);

        /// <summary>How many books the store holds, without reading them.</summary>
        long Count(CancellationToken cancellation);
    }
}
