using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Commands
{
    /// <summary>
    /// Creates a workspace: bookbatch.json with a working example pipeline, an empty database.json, a sample
    /// books.txt, the example stage script, runs/ and batches/.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BookWorkspace", SupportsShouldProcess = true)]
    [OutputType(typeof(DirectoryInfo))]
    public sealed class NewBookWorkspaceCommand : BookBatchCmdlet
    {
        /// <summary>The folder to create or fill. Defaults to the current location.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        /// <summary>Writes the example settings, stage script and books.txt again over existing ones. The database is never touched.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var root = Path is null ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : ResolvePath(Path);
            var workspace = new Workspace(root);
            if (!ShouldProcess(root, "Create a BookBatch workspace")) return;
            System.Collections.Generic.IReadOnlyList<string> written = System.Array.Empty<string>();
            Try(() =>
            {
                using var store = WorkspaceStore.Open(workspace);
                written = WorkspaceTemplate.Create(workspace, Force, store.Upkeep);
            }, root, terminating: true);
            foreach (var file in written) WriteVerbose("Wrote " + file);
            WriteObject(new DirectoryInfo(root));
        }
    }
}
