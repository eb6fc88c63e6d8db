using System;
using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Workspaces;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>A cmdlet that works in a workspace: <c>-Workspace</c>, else <c>$env:BOOKBATCH_WORKSPACE</c>, else the current location.</summary>
    public abstract class WorkspaceCmdlet : BookBatchCmdlet
    {
        private Workspace? _workspace;
        private IWorkspaceCoordination? _coordination;
        private Func<Engine.Books.Book, string?, Engine.Planning.BookHold?>? _holds;

        /// <summary>
        /// The workspace folder (holding database.json, bookbatch.json, runs/ and batches/). Defaults to
        /// $env:BOOKBATCH_WORKSPACE, else the current PowerShell location.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Workspace { get; set; }

        /// <summary>The workspace this call works in; resolved once per call.</summary>
        protected Workspace CurrentWorkspace => _workspace ??= ResolveWorkspace();

        /// <summary>The coordination of the workspace (ledger, holds, stage places), opened once per call where every user opens it.</summary>
        protected IWorkspaceCoordination Coordination => _coordination ??= OpenCoordination();

        /// <summary>The ledger of the workspace.</summary>
        protected ILedgerStore Store => Coordination.Ledger;

        /// <summary>
        /// What holds each book besides its status — a live batch, a stage process a dead batch left running, a cut-off
        /// publishing stage — given the book and the run folder the ledger names; from one listing of the workspace's holds.
        /// </summary>
        protected Func<Engine.Books.Book, string?, Engine.Planning.BookHold?> Holds =>
            _holds ??= Coordination.Holds(StagesIfReadable());

        /// <summary>
        /// The pipeline's stages from bookbatch.json (which publish, which have a verify command); null when the settings
        /// cannot be read: holds are still found then, reviews are not.
        /// </summary>
        protected System.Collections.Generic.IReadOnlyList<Engine.Settings.StageSettings>? StagesIfReadable()
        {
            try { return Engine.Settings.PipelineSettings.Load(CurrentWorkspace.SettingsPath, CurrentWorkspace.Root).Stages; }
            catch (Engine.Settings.SettingsInvalidException) { return null; }
        }

        /// <summary>
        /// True, after a warning, when the workspace folder has neither bookbatch.json nor database.json: a command run in
        /// the wrong folder then says so instead of answering as if there were no books.
        /// </summary>
        protected bool WarnIfNotAWorkspace()
        {
            var workspace = CurrentWorkspace;
            if (File.Exists(workspace.SettingsPath) || File.Exists(workspace.DatabasePath) || Directory.Exists(workspace.DatabasePath)) return false;
            WriteWarning($"'{workspace.Root}' is not a BookBatch workspace: it has neither bookbatch.json nor database.json, so no book is recorded here. " +
                         $"Go to your workspace (Set-Location), name it with -Workspace or $env:{Engine.Workspaces.Workspace.EnvironmentVariable}, or make one with New-BookWorkspace.");
            return true;
        }

        /// <summary>
        /// Reads the ledger (with <paramref name="books"/>, as far as a plan of them needs it); a damaged database is a
        /// terminating error (nothing can be decided without it).
        /// </summary>
        protected BookLedger ReadLedger(System.Collections.Generic.IReadOnlyCollection<Engine.Books.Book>? books = null)
        {
            BookLedger? ledger = null;
            Try(() => ledger = books is null ? Store.Read() : Store.ReadFor(books), CurrentWorkspace.DatabasePath, terminating: true);
            return ledger!;
        }

        /// <summary>
        /// The workspace's store opened anew for what outlives this call (a dashboard), which closes it: the one of
        /// <see cref="Coordination"/> is closed when the call ends.
        /// </summary>
        protected IWorkspaceCoordination OpenStoreToKeep() => OpenCoordination();

        // The workspace's store: its files, or the PostgreSQL store its bookbatch.json names. A store that cannot be used
        // (a misspelt section, an unreachable server, a wrong password, a schema missing or newer) is a terminating error.
        private IWorkspaceCoordination OpenCoordination()
        {
            IWorkspaceCoordination? opened = null;
            Try(() => opened = WorkspaceStore.Open(CurrentWorkspace), CurrentWorkspace.SettingsPath, terminating: true);
            return opened!;
        }

        /// <summary>Closes the workspace's store, if this call opened it (on PostgreSQL: gives back what it holds).</summary>
        protected override void Release()
        {
            _coordination?.Dispose();
            _coordination = null;
        }

        private Workspace ResolveWorkspace()
        {
            var chosen = Workspace;
            if (string.IsNullOrEmpty(chosen)) chosen = Environment.GetEnvironmentVariable(Engine.Workspaces.Workspace.EnvironmentVariable);
            // Never the process's working directory: a scheduled task starts in System32.
            var path = string.IsNullOrEmpty(chosen) ? SessionState.Path.CurrentFileSystemLocation.ProviderPath : ResolvePath(chosen!);
            var workspace = new Workspace(path);
            var other = $"name another with -Workspace or $env:{Engine.Workspaces.Workspace.EnvironmentVariable}";
            if (File.Exists(workspace.Root))
                ThrowTerminatingError(Errors.Record(ErrorIds.WorkspaceNotAFolder, ErrorCategory.InvalidArgument,
                    $"The workspace '{path}' is a file, not a folder. Name the folder that holds bookbatch.json and database.json " +
                    $"(for a book list, use Invoke-BookBatch -Path), or {other}.", path));
            if (!workspace.Exists)
                ThrowTerminatingError(Errors.Record(ErrorIds.WorkspaceNotFound, ErrorCategory.ObjectNotFound,
                    $"The workspace folder '{path}' does not exist. Create it with New-BookWorkspace, or {other}.",
                    path));
            if (workspace.Unreadable() is Exception denied)
                ThrowTerminatingError(new ErrorRecord(denied, ErrorIds.WorkspaceUnreadable, ErrorCategory.PermissionDenied, path)
                {
                    ErrorDetails = new ErrorDetails($"The workspace folder '{path}' cannot be read: permission denied. Nothing was read or changed. " +
                        $"Give your account read and write permission on it (or run as the account that owns it), or {other}."),
                });
            return workspace;
        }
    }
}
