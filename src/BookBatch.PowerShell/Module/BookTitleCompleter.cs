using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Module
{
    /// <summary>Completes the titles recorded in the workspace's database, in alphabetical order (-Title).</summary>
    public sealed class BookTitleCompleter : WorkspaceCompleter
    {
        /// <inheritdoc />
        protected override IEnumerable<string> Names(Workspace workspace)
        {
            using var store = WorkspaceStore.Open(workspace);
            return store.Ledger.Read().Books.Select(b => b.Title).OrderBy(t => t, StringComparer.CurrentCultureIgnoreCase).ToList();
        }
    }
}
