using System.Collections.Generic;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Module
{
    /// <summary>Completes the ids of the workspace's batches, newest first (Get-BatchSummary -Id).</summary>
    public sealed class BatchIdCompleter : WorkspaceCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<string> Names(Workspace workspace) => BatchJournals.Ids(workspace);
    }
}
