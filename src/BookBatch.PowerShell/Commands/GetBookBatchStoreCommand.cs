using System.Management.Automation;
using BookBatch.Engine.Postgres;

namespace BookBatch.Commands
{
    /// <summary>
    /// Connects to the workspace's PostgreSQL store and shows its schema version beside the module's. Changes nothing; a
    /// database without the schema, or with a newer one, is an error that says what to do.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BookBatchStore")]
    [OutputType(typeof(StoreSchemaStatus))]
    public sealed class GetBookBatchStoreCommand : StoreCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var schema = OpenSchema();
            StoreSchemaStatus? status = null;
            if (!Try(() => status = schema.Inspect(Cancellation), null, terminating: true)) return;
            if (status!.Version == 0) ThrowTerminatingError(Module.StoreErrors.Record(new StoreSchemaMissingException(status.Connection)));
            if (!status.IsCurrent)
                WriteWarning($"The schema of {status.Connection} is version {status.Version}, older than this module's {status.LatestVersion}: run Update-BookBatchStore.");
            WriteObject(status);
        }
    }
}
