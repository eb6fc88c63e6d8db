using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Stores
{
    /// <summary>
    /// A workspace's ledger moved between its own files and its PostgreSQL store, unchanged: database.json into the store
    /// (<see cref="Import"/>) and the store's ledger back out in the old system's format (<see cref="Export"/>).
    /// </summary>
    public static class StoreLedgerMove
    {
        /// <summary>
        /// Loads the workspace's database.json into <paramref name="store"/>, and the rate windows of
        /// <paramref name="stages"/> (<c>batches/limits/&lt;stage&gt;.starts</c>). The file is read under the workspace lock,
        /// which is held until the store has committed, so no batch working on the files can change it meanwhile; the
        /// files are left as they are. A store that holds books is refused unless <paramref name="replace"/>
        /// (<see cref="StoreNotEmptyException"/>). Null, with nothing written, when the workspace has no database.json.
        /// </summary>
        public static StoreImportResult? Import(Workspace workspace, IPostgresLedger store, string connection, IReadOnlyList<string> stages, bool replace,
            CancellationToken cancellation) =>
            WorkspaceStore.OpenFiles(workspace).Ledger.Update(ledger =>
            {
                // Looked at again under the lock: an empty ledger must never replace a store's books by accident.
                if (!File.Exists(workspace.DatabasePath)) return (false, (StoreImportResult?)null);
                var held = store.Count(cancellation);
                var books = store.Load(ledger, replace, cancellation);
                var starts = store.LoadRates(WorkspaceStore.FileRateWindows(workspace, stages), cancellation);
                return (false, new StoreImportResult(connection, workspace.DatabasePath, books, held, starts));
            }, cancellation);

        /// <summary>
        /// Writes <paramref name="ledger"/> (read from the store) to <paramref name="path"/> in the old system's format,
        /// byte for byte as the file store writes it: a temporary file, flushed, then put in the file's place, so the file
        /// is the old one or the new one and never half of either. The workspace's own database.json is written as
        /// every change of it is, under the workspace lock, keeping the previous file as database.json.bak.
        /// </summary>
        public static StoreExportResult Export(Workspace workspace, BookLedger ledger, string path, string connection, CancellationToken cancellation)
        {
            var existed = File.Exists(path);
            string? backup = null;
            if (IsDatabaseOf(workspace, path))
            {
                WorkspaceStore.OpenFiles(workspace).Upkeep.Replace(ledger, cancellation);
                if (existed) backup = workspace.BackupPath;
            }
            else
            {
                cancellation.ThrowIfCancellationRequested();
                AtomicFile.Write(path, LedgerJson.Write(ledger), null);
            }
            return new StoreExportResult(connection, path, ledger.Books.Count, existed, backup);
        }

        /// <summary>True when <paramref name="path"/> is the workspace's own database.json.</summary>
        public static bool IsDatabaseOf(Workspace workspace, string path) =>
            string.Equals(Path.GetFullPath(path), Path.GetFullPath(workspace.DatabasePath),
                RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }
}
