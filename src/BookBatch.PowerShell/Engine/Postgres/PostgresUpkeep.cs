using System;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The book database's upkeep on a PostgreSQL store: not built yet. Every change of the store is one transaction
    /// that checks what it writes, so the damage Test- and Repair-BookDatabase look for in database.json (a torn write,
    /// a hand edit) cannot happen there; each member refuses with a <see cref="StoreNotSupportedException"/> that says so.
    /// </summary>
    internal sealed class PostgresUpkeep : IBookDatabaseUpkeep
    {
        private const string Instead =
            "The store writes each change in one checked transaction, so it is never left half written. To check the ledger " +
            "as a file, write it out with Export-BookBatchStore -Path <file> and run Test-BookDatabase on a copy of the workspace.";

        private readonly string _connection;

        public PostgresUpkeep(string connection) => _connection = connection;

        public string Location => _connection;

        public BookDatabaseReport Check() => throw Refused("Test-BookDatabase");

        public LedgerRepairPlan PlanRepair(DateTime now) => throw Refused("Repair-BookDatabase");

        public void Repair(LedgerRepairPlan plan, CancellationToken cancellation) => throw Refused("Repair-BookDatabase");

        public bool CreateEmpty() => false; // the store's schema is made by Update-BookBatchStore

        public void Replace(BookLedger ledger, CancellationToken cancellation) => throw Refused("Replacing the whole ledger");

        private StoreNotSupportedException Refused(string what) => new(_connection, what, Instead);
    }
}
