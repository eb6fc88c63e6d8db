using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>Checks a workspace's database.json: JSON, schema and backup, and its books (<see cref="LedgerEntryCheck"/>).</summary>
    internal static class LedgerCheck
    {
        /// <summary>Checks the database of a workspace. Reads only; changes nothing.</summary>
        public static BookDatabaseReport Inspect(Workspace workspace)
        {
            var store = new LedgerStore(workspace);
            var issues = new List<BookDatabaseIssue>();
            BookLedger ledger;
            try
            {
                ledger = store.Read();
            }
            catch (LedgerCorruptException e)
            {
                issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.Corrupt, BookDatabaseIssueSeverity.Error, null, e.Message));
                CheckBackup(workspace, issues);
                return new BookDatabaseReport(workspace.DatabasePath, true, 0, issues);
            }

            LedgerEntryCheck.Add(workspace.RunFolderPath, ledger, issues);
            CheckBackup(workspace, issues);
            return new BookDatabaseReport(workspace.DatabasePath, store.Exists, ledger.Books.Count, issues);
        }

        private static void CheckBackup(Workspace workspace, List<BookDatabaseIssue> issues)
        {
            var bytes = AtomicFile.ReadBytes(workspace.BackupPath);
            if (bytes is null) return;
            try
            {
                LedgerJson.Parse(bytes, workspace.BackupPath);
            }
            catch (LedgerCorruptException e)
            {
                issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.BackupUnreadable, BookDatabaseIssueSeverity.Warning, null,
                    $"The backup '{workspace.BackupPath}' cannot be read (line {e.Line}, column {e.Column}: {e.Reason}); it cannot be restored."));
            }
        }
    }
}
