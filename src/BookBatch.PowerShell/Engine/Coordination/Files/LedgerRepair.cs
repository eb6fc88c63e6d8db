using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{

    /// <summary>
    /// Repairs a ledger without ever silently dropping a book: a damaged file is kept beside the repaired one, the
    /// books of the backup are restored, the books still readable in the damaged file are added to them (they are
    /// newer), and duplicate entries are merged.
    /// </summary>
    internal static class LedgerRepair
    {
        /// <summary>Works out the repair; reads only.</summary>
        public static LedgerRepairPlan Prepare(Workspace workspace, DateTime now)
        {
            var store = new LedgerStore(workspace);
            var steps = new List<BookDatabaseRepair>();
            var bytes = Read(workspace.DatabasePath);
            BookLedger? ledger = null;
            string? damagedCopy = null;
            if (bytes != null)
            {
                try { ledger = LedgerJson.Parse(bytes, workspace.DatabasePath); }
                catch (LedgerCorruptException) { ledger = null; }
            }

            if (ledger is null)
            {
                var backup = ReadBackup(workspace);
                if (bytes is null && backup is null) return new LedgerRepairPlan(null, steps, null, null);
                var salvaged = bytes is null ? new List<LedgerEntry>() : Salvage(bytes);
                var books = new List<LedgerEntry>(salvaged);
                var salvagedKeys = new HashSet<string>(salvaged.Select(e => e.Book.Key), StringComparer.Ordinal);
                var restored = 0;
                if (backup != null)
                {
                    foreach (var entry in backup.Books)
                        if (salvagedKeys.Add(entry.Book.Key)) { books.Add(entry); restored++; }
                    steps.Add(new BookDatabaseRepair(BookDatabaseRepairAction.RestoredBackup, restored,
                        $"Restored {restored} book(s) from '{workspace.BackupPath}' that the damaged file no longer had."));
                }
                if (bytes != null)
                {
                    damagedCopy = workspace.DatabasePath + ".damaged-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
                    steps.Add(new BookDatabaseRepair(BookDatabaseRepairAction.SalvagedBooks, salvaged.Count,
                        $"Read {salvaged.Count} book(s) back out of the damaged file; they are newer than the backup and take its place. " +
                        $"The damaged file is kept as '{damagedCopy}'.", damagedCopy));
                }
                ledger = new BookLedger(books, backup?.OtherKeys ?? new List<KeyValuePair<string, System.Text.Json.JsonElement>>());
            }

            foreach (var group in LedgerEntryCheck.Duplicates(ledger).ToList())
            {
                var kept = Merge(ledger, group);
                steps.Add(new BookDatabaseRepair(BookDatabaseRepairAction.MergedDuplicates, group.Count,
                    $"'{kept.Book}' was recorded {group.Count} times; merged into one entry with status '{kept.StatusText ?? "null"}'."));
            }
            return new LedgerRepairPlan(steps.Count > 0 ? ledger : null, steps, bytes, damagedCopy);
        }

        /// <summary>Writes a prepared repair, under the workspace lock, if the file has not changed since it was prepared.</summary>
        public static void Apply(Workspace workspace, LedgerRepairPlan plan, CancellationToken cancellation)
        {
            if (!plan.HasWork) return;
            var store = new LedgerStore(workspace);
            store.Overwrite(plan.Result!, plan.DamagedCopy, () =>
            {
                var now = Read(workspace.DatabasePath);
                var hash = now is null ? null : LedgerRepairPlan.Hash(now);
                if (hash != plan.OriginalHash)
                    throw new IOException($"'{workspace.DatabasePath}' changed while the repair was being prepared. Nothing was written; run Repair-BookDatabase again.");
            }, cancellation);
        }

        // A file of the repair, read as the store reads it: one that another program holds open is said to be locked
        // (BookDatabaseLocked), as for every other command, not as the file system's bare "used by another process".
        private static byte[]? Read(string path)
        {
            try { return AtomicFile.ReadBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BookDatabaseIOException.From(path, writing: false, e);
            }
        }

        private static BookLedger? ReadBackup(Workspace workspace)
        {
            var bytes = Read(workspace.BackupPath);
            if (bytes is null) return null;
            try { return LedgerJson.Parse(bytes, workspace.BackupPath); }
            catch (LedgerCorruptException) { return null; }
        }

        // Keeps the entry that got furthest (done, then processing), fills its empty fields from the others, drops them.
        private static LedgerEntry Merge(BookLedger ledger, List<LedgerEntry> group)
        {
            var kept = group.OrderByDescending(e => e.State).First();
            foreach (var other in group)
            {
                if (ReferenceEquals(other, kept)) continue;
                foreach (var key in LedgerKeys.Known)
                    if (key != LedgerKeys.Title && key != LedgerKeys.Author && kept.KnownValue(key) is null && other.KnownValue(key) is { } value)
                    {
                        kept.SetKnown(key, value);
                        kept.NoteKey(key);
                    }
                foreach (var pair in other.UnknownFields) kept.AddUnknown(pair.Key, pair.Value);
                ledger.Remove(other);
            }
            return kept;
        }

        /// <summary>Every book object that still parses in a damaged file: the outermost objects with a <c>main_title</c>.</summary>
        /// <remarks>Bytes that are not UTF-8 are read as Windows-1252, so that a book saved by an ANSI editor is read back, not dropped.</remarks>
        internal static List<LedgerEntry> Salvage(byte[] bytes)
        {
            bytes = TextBytes.Utf8FromMixed(bytes);
            var found = new List<(int Start, int End, LedgerEntry Entry)>();
            var open = new Stack<int>();
            var inString = false;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (inString)
                {
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'"') inString = false;
                    continue;
                }
                if (b == (byte)'"') inString = true;
                else if (b == (byte)'{') open.Push(i);
                else if (b == (byte)'}' && open.Count > 0)
                {
                    var start = open.Pop();
                    var entry = LedgerJson.TryParseEntry(new ReadOnlySpan<byte>(bytes, start, i - start + 1));
                    if (entry is null) continue;
                    found.RemoveAll(f => f.Start > start && f.End < i);
                    found.Add((start, i, entry));
                }
            }
            return found.Select(f => f.Entry).ToList();
        }
    }
}
