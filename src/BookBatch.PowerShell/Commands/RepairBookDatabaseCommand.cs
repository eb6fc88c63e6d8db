using System;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Repairs the database: restores the books of database.json.bak, reads back every book still readable in a
    /// damaged file, merges duplicate entries. The damaged file is kept beside it; no book is dropped silently. A
    /// PostgreSQL store cannot be damaged that way: its repair finds nothing to do.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "BookDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BookDatabaseRepair))]
    public sealed class RepairBookDatabaseCommand : WorkspaceCmdlet
    {
        /// <summary>Repairs the database even while a batch works in the workspace (the repair rewrites every book it holds).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var database = Coordination.Upkeep.Location; // database.json, or the store's connection
            if (!Force && Coordination.LiveHolders().FirstOrDefault() is LeaseHolder holder)
            {
                WriteError(Errors.From(new BookInProgressException(database, $"being worked on: '{holder.Book}' is held by {holder}", "Repair-BookDatabase"), database));
                return;
            }
            LedgerRepairPlan? plan = null;
            if (!Try(() => plan = Coordination.Upkeep.PlanRepair(DateTime.Now), database, terminating: true)) return;
            if (!plan!.HasWork)
            {
                WriteObject(new BookDatabaseRepair(BookDatabaseRepairAction.None, 0, $"'{database}' needs no repair."));
                return;
            }
            var what = string.Join(" ", plan.Steps.Select(s => s.Message));
            if (!ShouldProcess(database, "Repair: " + what)) return;
            if (!Try(() => Coordination.Upkeep.Repair(plan, Cancellation), database, terminating: true)) return;
            foreach (var step in plan.Steps) WriteObject(step);
        }
    }
}
