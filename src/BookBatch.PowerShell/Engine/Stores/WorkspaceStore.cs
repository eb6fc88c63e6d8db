using BookBatch.Engine.Coordination;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Stores
{
    /// <summary>
    /// Where a workspace's coordination is made: every user (the planner and runner of a batch, the cmdlets that change
    /// or list books, the argument completers, the benchmarks) opens it here and works through
    /// <see cref="IWorkspaceCoordination"/>, so a second store is chosen in this one place (docs/DECISIONS.md).
    /// </summary>
    public static class WorkspaceStore
    {
        /// <summary>The coordination of <paramref name="workspace"/>'s batches: today its files.</summary>
        public static IWorkspaceCoordination Open(Workspace workspace) => new FileCoordination(workspace);

        /// <summary>
        /// The workspace's own files (database.json and its lock), whatever store its bookbatch.json names: what a ledger
        /// is moved out of into a PostgreSQL store, and written back into (<see cref="StoreLedgerMove"/>).
        /// </summary>
        public static IWorkspaceCoordination OpenFiles(Workspace workspace) => new FileCoordination(workspace);
    }
}
