using System.Management.Automation;
using BookBatch.Engine.Postgres;

namespace BookBatch.Commands
{
    /// <summary>
    /// Creates the BookBatch schema in the workspace's PostgreSQL store, or brings it to this module's version. Only this
    /// command changes the schema; a database of a newer schema is refused and left unchanged.
    /// </summary>
    [Cmdlet(VerbsData.Update, "BookBatchStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StoreSchemaStatus))]
    public sealed class UpdateBookBatchStoreCommand : StoreCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var schema = OpenSchema();
            StoreSchemaStatus? status = null;
            if (!Try(() => status = schema.Inspect(Cancellation), null, terminating: true)) return;
            if (status!.IsCurrent)
            {
                WriteVerbose($"The schema of {status.Connection} already is version {status.LatestVersion}: nothing to do.");
                WriteObject(status);
                return;
            }
            var action = status.Version == 0 ? $"Create the BookBatch schema (version {status.LatestVersion})"
                                             : $"Update the BookBatch schema from version {status.Version} to {status.LatestVersion}";
            if (!ShouldProcess(status.Connection, action)) return;
            if (Try(() => status = schema.Migrate(Cancellation), null, terminating: true)) WriteObject(status);
        }
    }
}
