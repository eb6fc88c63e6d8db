using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The book database's upkeep on a PostgreSQL store. Test-BookDatabase checks its books as on the file store
    /// (<see cref="LedgerEntryCheck"/>) and the database's encoding. Every change of the store is one transaction that
    /// checks what it writes and a book is one row by its key, so the damage Repair-BookDatabase mends in database.json
    /// (a torn write, a hand edit, a book recorded twice) cannot happen there: a repair finds nothing to do.
    /// </summary>
    internal sealed class PostgresUpkeep : IBookDatabaseUpkeep
    {
        private readonly Workspace _workspace;
        private readonly ILedgerStore _ledger;
        private readonly Func<StoreSchemaStatus> _schema;
        private readonly string _connection;

        public PostgresUpkeep(Workspace workspace, string connection, ILedgerStore ledger, Func<StoreSchemaStatus> schema)
        {
            _workspace = workspace;
            _connection = connection;
            _ledger = ledger;
            _schema = schema;
        }

        public string Location => _connection;

        public BookDatabaseReport Check()
        {
            var issues = new List<BookDatabaseIssue>();
            var encoding = _schema().Encoding;
            if (!StoreEncodingException.HoldsEveryTitle(encoding))
                issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.StoreEncoding, BookDatabaseIssueSeverity.Error, null,
                    $"The store's database is encoded as {encoding}, which cannot hold every title: a title in another script fails its batch. " +
                    "Write the ledger out with Export-BookBatchStore, create a UTF8 database (ENCODING 'UTF8' TEMPLATE template0), " +
                    "point bookbatch.json at it, and run Update-BookBatchStore and Import-BookBatchStore."));
            var ledger = _ledger.Read();
            LedgerEntryCheck.Add(_workspace.RunFolderPath, ledger, issues);
            return new BookDatabaseReport(_connection, true, ledger.Books.Count, issues);
        }

        public LedgerRepairPlan PlanRepair(DateTime now) => LedgerRepairPlan.Nothing;

        public void Repair(LedgerRepairPlan plan, CancellationToken cancellation)
        {
            if (plan.HasWork) throw new StoreNotSupportedException(_connection, "Repair-BookDatabase", "A repair is worked out for a database.json, not for the store.");
        }

        public bool CreateEmpty() => false; // the store's schema is made by Update-BookBatchStore

        public void Replace(BookLedger ledger, CancellationToken cancellation) =>
            throw new StoreNotSupportedException(_connection, "Replacing the whole ledger",
                "The store writes each change in one checked transaction; Import-BookBatchStore -Force replaces its books.");
    }
}
