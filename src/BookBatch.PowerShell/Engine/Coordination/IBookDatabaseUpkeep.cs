using System;
using System.Threading;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// The book database as a whole, as the operator looks after it: its check (Test-BookDatabase), its repair
    /// (Repair-BookDatabase) and the empty database of a new workspace (New-BookWorkspace). How a database is checked
    /// and mended depends on how it is kept, so each store brings its own.
    /// </summary>
    public interface IBookDatabaseUpkeep
    {
        /// <summary>Where the database is, as the operator names it in messages (a file path for the file store).</summary>
        string Location { get; }

        /// <summary>Checks the database and changes nothing.</summary>
        BookDatabaseReport Check();

        /// <summary>Works out a repair without changing anything; <see cref="LedgerRepairPlan.HasWork"/> is false when none is needed.</summary>
        LedgerRepairPlan PlanRepair(DateTime now);

        /// <summary>Writes a repair worked out by <see cref="PlanRepair"/>; refuses when the database changed since.</summary>
        void Repair(LedgerRepairPlan plan, CancellationToken cancellation);

        /// <summary>Creates an empty database when there is none; true when it did.</summary>
        bool CreateEmpty();

        /// <summary>
        /// Puts <paramref name="ledger"/> in the database's place as one write, the way every change is written (for the
        /// file store: under the workspace lock, replaced atomically, the previous file kept as its backup): a ledger
        /// written back out of another store.
        /// </summary>
        void Replace(BookLedger ledger, CancellationToken cancellation);
    }
}
