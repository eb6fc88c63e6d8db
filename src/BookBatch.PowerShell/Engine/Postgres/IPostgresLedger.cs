using System.Threading;
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

        /// <summary>How many books the store holds, without reading them.</summary>
        long Count(CancellationToken cancellation);
    }
}
