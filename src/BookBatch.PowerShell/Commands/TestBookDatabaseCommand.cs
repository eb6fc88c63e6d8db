using System.Management.Automation;
using BookBatch.Engine.Ledger;

namespace BookBatch.Commands
{
    /// <summary>
    /// Checks the database: JSON, schema, duplicates, statuses, run folders and the backup; on a PostgreSQL store its
    /// books and its encoding. Changes nothing.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "BookDatabase")]
    [OutputType(typeof(BookDatabaseReport), typeof(bool))]
    public sealed class TestBookDatabaseCommand : WorkspaceCmdlet
    {
        /// <summary>Writes only $true (healthy) or $false, for scripts.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            BookDatabaseReport? report = null;
            if (!Try(() => report = Coordination.Upkeep.Check(), Coordination.Upkeep.Location, terminating: true)) return;
            if (Quiet) WriteObject(report!.IsHealthy);
            else WriteObject(report);
        }
    }
}
