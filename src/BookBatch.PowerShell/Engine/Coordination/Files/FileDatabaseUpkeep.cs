using System;
using System.Threading;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary><c>database.json</c> checked, repaired and created as a file (<see cref="LedgerCheck"/>, <see cref="LedgerRepair"/>).</summary>
    internal sealed class FileDatabaseUpkeep : IBookDatabaseUpkeep
    {
        private readonly LedgerStore _store;

        /// <summary>The upkeep of the database a store keeps.</summary>
        public FileDatabaseUpkeep(LedgerStore store) => _store = store;

        /// <inheritdoc />
        public string Location => _store.Workspace.DatabasePath;

        /// <inheritdoc />
        public BookDatabaseReport Check() => LedgerCheck.Inspect(_store.Workspace);

        /// <inheritdoc />
        public LedgerRepairPlan PlanRepair(DateTime now) => LedgerRepair.Prepare(_store.Workspace, now);

        /// <inheritdoc />
        public void Repair(LedgerRepairPlan plan, CancellationToken cancellation) => LedgerRepair.Apply(_store.Workspace, plan, cancellation);

        /// <inheritdoc />
        public bool CreateEmpty()
        {
            if (_store.Exists) return false;
            _store.Update(ledger => (true, 0));
            return true;
        }

        /// <inheritdoc />
        public void Replace(BookLedger ledger, CancellationToken cancellation) => _store.Overwrite(ledger, null, () => { }, cancellation);
    }
}
