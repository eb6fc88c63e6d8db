using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// The ledger on disk. Reads need no lock (every write replaces the file atomically, so a reader never sees half
    /// a file); every change takes the workspace lock, reads, changes, writes a temporary file, flushes it to disk,
    /// replaces <c>database.json</c> and keeps the previous good copy as <c>database.json.bak</c>.
    /// One store serves one thread at a time (a cmdlet, or a batch's scheduling loop); the ledger a read returns may
    /// be the one the store last wrote, so it is for looking at, and changes go through <see cref="Update"/>.
    /// </summary>
    public sealed class LedgerStore : Coordination.ILedgerStore
    {
        /// <summary>How long a change waits for another process's change before it gives up.</summary>
        public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(60);

        /// <summary>Creates the store of a workspace.</summary>
        public LedgerStore(Workspace workspace) => Workspace = workspace;

        /// <summary>The workspace whose <c>database.json</c> this is.</summary>
        public Workspace Workspace { get; }

        /// <summary>How long a change waits for the workspace lock.</summary>
        public TimeSpan LockTimeout { get; set; } = DefaultLockTimeout;

        /// <summary>True when <c>database.json</c> exists.</summary>
        public bool Exists => File.Exists(Workspace.DatabasePath);

        /// <summary>Reads the ledger; a missing file is an empty ledger, a damaged one throws <see cref="LedgerCorruptException"/>.</summary>
        public BookLedger Read()
        {
            var bytes = ReadDatabase();
            if (bytes is null) return BookLedger.Empty();
            if (_lastWritten != null && bytes.AsSpan().SequenceEqual(_lastWritten)) return _lastLedger!;
            return LedgerJson.Parse(bytes, Workspace.DatabasePath);
        }

        /// <inheritdoc />
        public BookMatch Find(Book book) => Read().Find(book);

        /// <inheritdoc />
        public IReadOnlyList<LedgerEntry> List(Func<LedgerEntry, bool> filter) => Read().Books.Where(filter).ToList();

        /// <inheritdoc />
        /// <remarks>The file holds every book, so the change reads and writes the whole file.</remarks>
        public T Change<T>(IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
            Update(ledger => change(new BookEdit(ledger, books)), cancellation);

        /// <summary>
        /// Changes the ledger under the workspace lock. <paramref name="change"/> returns true when it changed
        /// something; only then is the file written. A damaged file is never written over.
        /// </summary>
        public T Update<T>(Func<BookLedger, (bool Changed, T Result)> change, CancellationToken cancellation = default)
        {
            using (Lock(cancellation))
            {
                var bytes = ReadDatabase();
                // A batch writes the ledger at every book's start and end: when the file is still exactly what this
                // store wrote last, its ledger in memory is reused instead of parsing the whole file again.
                var ledger = bytes != null && _lastWritten != null && bytes.AsSpan().SequenceEqual(_lastWritten)
                    ? _lastLedger!
                    : bytes is null ? BookLedger.Empty() : LedgerJson.Parse(bytes, Workspace.DatabasePath);
                _lastWritten = null; // a change that throws may have half-changed the ledger in memory
                _lastLedger = null;
                var (changed, result) = change(ledger);
                if (changed)
                {
                    BookDatabaseReadOnlyException.ThrowIfReadOnly(Workspace.DatabasePath);
                    RemoveStrayTemporaries();
                    var content = LedgerJson.Write(ledger);
                    try { WriteAtomically(Workspace.DatabasePath, content, bytes != null ? Workspace.BackupPath : null); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw BookDatabaseIOException.From(Workspace.DatabasePath, writing: true, e);
                    }
                    _lastWritten = content;
                    _lastLedger = ledger;
                }
                else if (bytes != null)
                {
                    _lastWritten = bytes;
                    _lastLedger = ledger;
                }
                return result;
            }
        }

        // The workspace lock; a folder where it cannot even be made (no permission) cannot have database.json written either.
        private WorkspaceLock Lock(CancellationToken cancellation)
        {
            try { return WorkspaceLock.Acquire(Workspace.LockPath, LockTimeout, cancellation); }
            catch (UnauthorizedAccessException e) { throw BookDatabaseIOException.From(Workspace.DatabasePath, writing: true, e); }
        }

        // database.json's bytes, null when there is none; what keeps it from being read is said in the operator's words.
        private byte[]? ReadDatabase()
        {
            var path = Workspace.DatabasePath;
            if (Directory.Exists(path))
                throw new BookDatabaseIOException(path, "is a folder, not a file. Move the folder away (if it is not yours to delete), " +
                    "then run the command again: a workspace without database.json starts with an empty one");
            try { return ReadBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BookDatabaseIOException.From(path, writing: false, e);
            }
        }

        private byte[]? _lastWritten;
        private BookLedger? _lastLedger;
        private bool _strayRemoved;

        // database.json is written only under the workspace lock, so a temporary file of it found while holding the lock
        // is one a writer killed mid-write left behind: the first change of each store deletes those (one listing of
        // the workspace folder, not one a write).
        private void RemoveStrayTemporaries()
        {
            if (_strayRemoved) return;
            _strayRemoved = true;
            var pattern = "." + Path.GetFileName(Workspace.DatabasePath) + ".*.tmp";
            try
            {
                foreach (var stray in Directory.EnumerateFiles(Workspace.Root, pattern)) File.Delete(stray);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // left for a later batch
        }

        /// <summary>Writes a whole ledger under the lock without parsing the current file (used by the repair, which checks it is unchanged).</summary>
        internal void Overwrite(BookLedger ledger, string? keepDamagedAs, Action checkUnchanged, CancellationToken cancellation)
        {
            using (Lock(cancellation))
            {
                checkUnchanged();
                BookDatabaseReadOnlyException.ThrowIfReadOnly(Workspace.DatabasePath);
                var exists = File.Exists(Workspace.DatabasePath);
                if (keepDamagedAs != null && exists) File.Copy(Workspace.DatabasePath, keepDamagedAs, overwrite: false);
                // A damaged file is kept aside and must not become the backup; a good one does.
                WriteAtomically(Workspace.DatabasePath, LedgerJson.Write(ledger), exists && keepDamagedAs is null ? Workspace.BackupPath : null);
            }
        }

        /// <summary>Writes a file so that a reader sees the old content or the new one, never a mix.</summary>
        /// <param name="path">The file to write.</param>
        /// <param name="content">Its new content.</param>
        /// <param name="backupPath">Where the previous content goes, or null to drop it.</param>
        /// <param name="durable">
        /// Flush the new content to the disk before it replaces the old (the ledger). Files that are rewritten at
        /// every stage change (summary.json) skip it: the replace is still atomic, and losing
        /// the last update to a power cut only runs a stage again.
        /// </param>
        public static void WriteAtomically(string path, byte[] content, string? backupPath, bool durable = true)
        {
            var directory = Path.GetDirectoryName(path)!;
            var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096,
                           durable ? FileOptions.WriteThrough : FileOptions.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: durable);
                }
                if (File.Exists(path)) File.Replace(temp, path, backupPath, ignoreMetadataErrors: true);
                else File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>Reads a whole file while letting writers replace it; null when it does not exist.</summary>
        public static byte[]? ReadBytes(string path)
        {
            if (!File.Exists(path)) return null; // the common "not there" case without an exception
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var length = (int)stream.Length;
                var bytes = new byte[length];
                var read = 0;
                while (read < length)
                {
                    var n = stream.Read(bytes, read, length - read);
                    if (n == 0) break;
                    read += n;
                }
                if (read == length) return bytes;
                Array.Resize(ref bytes, read);
                return bytes;
            }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
        }
    }
}
