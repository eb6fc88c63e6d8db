using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Stores;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Moves the workspace's database.json into the PostgreSQL store its bookbatch.json names: every book, unknown keys
    /// and all, so that Export-BookBatchStore writes the same file back. database.json is read under the workspace lock
    /// and left in place, as the operator's copy. A store that holds books is refused unless -Force.
    /// </summary>
    [Cmdlet(VerbsData.Import, "BookBatchStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StoreImportResult))]
    public sealed class ImportBookBatchStoreCommand : StoreCmdlet
    {
        /// <summary>Replaces the books the store already holds (they are deleted; write them out first if they matter).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var workspace = CurrentWorkspace;
            var connection = StoreSettings().Connection;
            var store = OpenLedger();
            if (!File.Exists(workspace.DatabasePath)) NoDatabase();
            // A batch still working on the files would go on writing database.json behind the store's back.
            if (WorkspaceStore.OpenFiles(workspace).LiveHolders().FirstOrDefault() is { } holder)
                ThrowTerminatingError(Errors.From(BookInProgressException.WithMessage(workspace.DatabasePath,
                    $"'{workspace.DatabasePath}' is being worked on: '{holder.Book}' is held by {holder}. Nothing was written. " +
                    "Let the batch end (or stop it), then run Import-BookBatchStore again."), workspace.DatabasePath));
            BookLedger? ledger = null;
            Try(() => ledger = WorkspaceStore.OpenFiles(workspace).Ledger.Read(), workspace.DatabasePath, terminating: true);
            long held = 0;
            Try(() => held = store.Count(Cancellation), connection, terminating: true);
            if (held > 0 && !Force) ThrowTerminatingError(StoreErrors.Record(new StoreNotEmptyException(connection, held)));

            var books = ledger!.Books.Count;
            if (held > 0)
            {
                if (!ShouldProcessReplacing(connection, $"Replace the {held} books of the PostgreSQL store {connection} with the {books} books of '{workspace.DatabasePath}'")) return;
            }
            else if (!ShouldProcess(connection, $"Move the {books} books of '{workspace.DatabasePath}' into the PostgreSQL store {connection} (database.json stays as it is)")) return;

            StoreImportResult? result = null;
            var stages = StagesIfReadable()?.Select(s => s.Name).ToList() ?? new List<string>();
            if (!Try(() => result = StoreLedgerMove.Import(workspace, store, connection, stages, Force, Cancellation), connection, terminating: true)) return;
            if (result is null) NoDatabase();
            WriteVerbose($"{result!.Books} books and {result.RateStarts} rate-window starts moved into {connection}; '{workspace.DatabasePath}' and batches/limits/ are left as they were.");
            WriteObject(result);
        }

        private void NoDatabase() =>
            ThrowTerminatingError(Errors.Record(ErrorIds.BookDatabaseNotFound, ErrorCategory.ObjectNotFound,
                $"The workspace '{CurrentWorkspace.Root}' has no database.json: there is no ledger to move into the store, and nothing was written. " +
                "Run the command in the workspace that holds the books (-Workspace or $env:BOOKBATCH_WORKSPACE).", CurrentWorkspace.DatabasePath));
    }
}
