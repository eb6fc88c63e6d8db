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
    /// damaged file, merges duplicate entries. The damaged file is kept beside it; no book is dropped silently.
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
            var workspace = CurrentWorkspace;
            if (!Force && Coordination.LiveHolders().FirstOrDefault() is LeaseHolder holder)
            {
                WriteError(Errors.From(new BookInProgressException(workspace.DatabasePath, $"being worked on: '{holder.Book}' is held by {holder}", "Repair-BookDatabase"), workspace.DatabasePath));
                return;
            }
            LedgerRepairPlan? plan = null;
            if (!Try(() => plan = Coordination.Upkeep.PlanRepair(DateTime.Now), workspace.DatabasePath, terminating: true)) return;
            if (!plan!.HasWork)
            {
                WriteObject(new BookDatabaseRepair(BookDatabaseRepairAction.None, 0, $"'{workspace.DatabasePath}' needs no repair."));
                return;
            }
            var what = string.Join(" ", plan.Steps.Select(s => s.Message));
            if (!ShouldProcess(workspace.DatabasePath, "Repair: " + what)) return;
            if (!Try(() => Coordination.Upkeep.Repair(plan, Cancellation), workspace.DatabasePath, terminating: true)) return;
            foreach (var step in plan.Steps) WriteObject(step);
        }
    }
}
