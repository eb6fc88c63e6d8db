using System;
using System.Collections.Generic;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Settings;
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
        /// <summary>
        /// The coordination of <paramref name="workspace"/>'s batches: the PostgreSQL store its bookbatch.json names
        /// (<see cref="StoreOf"/>), logging in with <paramref name="givenPassword"/> when the command was given a credential,
        /// else as the store's settings say; otherwise its files. Dispose it when done: on PostgreSQL that gives back
        /// what this process holds and closes its session. Throws <see cref="SettingsInvalidException"/> for a store section
        /// that is not right and a <see cref="StoreException"/> for a store that cannot be used.
        /// </summary>
        public static IWorkspaceCoordination Open(Workspace workspace, string? givenPassword = null)
        {
            if (StoreOf(workspace) is not { } store) return OpenFiles(workspace);
            var (password, source) = store.Login(givenPassword);
            return new PostgresWorkspaceCoordination(workspace, store, password, source);
        }

        /// <summary>
        /// The PostgreSQL store <paramref name="workspace"/>'s bookbatch.json names, or null when it keeps its books in its
        /// files. A store section that is not right throws (a misspelt store is never taken for the files); a settings file
        /// that cannot be read for another reason is judged where its pipeline is used, and the workspace's files are its store.
        /// </summary>
        public static PostgresSettings? StoreOf(Workspace workspace)
        {
            try { return PostgresSettings.Load(workspace.SettingsPath); }
            catch (SettingsInvalidException e) when (!e.Key.StartsWith(PostgresSettings.Key, StringComparison.Ordinal)) { return null; }
        }

        /// <summary>
        /// The workspace's own files (database.json and its lock), whatever store its bookbatch.json names: what a ledger
        /// is moved out of into a PostgreSQL store, and written back into (<see cref="StoreLedgerMove"/>).
        /// </summary>
        public static IWorkspaceCoordination OpenFiles(Workspace workspace) => new FileCoordination(workspace);

        /// <summary>
        /// The rate windows the file store kept for <paramref name="stages"/> (<c>batches/limits/&lt;stage&gt;.starts</c>),
        /// those that have a file: what Import-BookBatchStore moves into the store with the ledger.
        /// </summary>
        public static List<StageRateHistory> FileRateWindows(Workspace workspace, IReadOnlyList<string> stages)
        {
            var histories = new List<StageRateHistory>();
            foreach (var stage in stages)
            {
                var (starts, blockedUntil) = RateWindow.ReadFile(workspace.StageStartsPath(stage));
                if (starts.Count > 0 || blockedUntil != DateTimeOffset.MinValue)
                    histories.Add(new StageRateHistory(stage, starts, blockedUntil == DateTimeOffset.MinValue ? null : blockedUntil));
            }
            return histories;
        }
    }
}
