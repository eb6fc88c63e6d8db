using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stores;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Writes the ledger of the workspace's PostgreSQL store as a database.json in the old system's format — the file
    /// Import-BookBatchStore read comes back byte for byte — to the workspace's database.json or to -Path. The file is
    /// replaced atomically; an existing file only with -Force (the workspace's database.json keeps its previous copy as
    /// database.json.bak).
    /// </summary>
    [Cmdlet(VerbsData.Export, "BookBatchStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StoreExportResult))]
    public sealed class ExportBookBatchStoreCommand : StoreCmdlet
    {
        /// <summary>The file to write; the workspace's database.json when left out.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Replaces the file when it exists.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var workspace = CurrentWorkspace;
            var connection = StoreSettings().Connection;
            var path = Path is null ? workspace.DatabasePath : ResolvePath(Path);
            var store = OpenLedger();
            BookLedger? ledger = null;
            Try(() => ledger = store.Read(), connection, terminating: true);

            if (Directory.Exists(path))
                ThrowTerminatingError(Errors.Record(ErrorIds.BookBatchStoreExportFileExists, ErrorCategory.InvalidArgument,
                    $"'{path}' is a folder: nothing was written. Name a file with -Path (such as '{System.IO.Path.Combine(path, "database.json")}').", path));
            var exists = File.Exists(path);
            if (exists && !Force)
                ThrowTerminatingError(Errors.Record(ErrorIds.BookBatchStoreExportFileExists, ErrorCategory.ResourceExists,
                    $"'{path}' already exists: nothing was written. Add -Force to replace it" +
                    (StoreLedgerMove.IsDatabaseOf(workspace, path) ? " (its previous copy is kept as database.json.bak)" : "") +
                    ", or name another file with -Path.", path));

            var what = $"the {ledger!.Books.Count} books of the PostgreSQL store {connection}";
            if (!ShouldProcess(path, exists ? $"Replace the file with {what}" : $"Write {what}")) return;
            StoreExportResult? result = null;
            if (Try(() => result = StoreLedgerMove.Export(workspace, ledger, path, connection, Cancellation), path, terminating: true))
                WriteObject(result);
        }
    }
}
