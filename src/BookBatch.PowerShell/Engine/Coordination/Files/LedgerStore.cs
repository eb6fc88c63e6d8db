using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// The ledger on disk. Reads need no lock (every write replaces the file atomically, so a reader never sees half
    /// a file); every change takes the workspace lock, reads, changes, writes a temporary file, flushes it to disk,
    /// replaces <c>database.json</c> and keeps the previous good copy as <c>database.json.bak</c>.
    /// One store serves one thread at a time (a cmdlet, or a batch's scheduling loop); the ledger a read returns may
    /// be the one the store last wrote, so it is for looking at, and changes go through <see cref="Update"/>.
    /// </summary>
    internal sealed class LedgerStore : ILedgerStore
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

        /// <inheritdoc />
        /// <remarks>The whole file: reading it is the cost either way.</remarks>
        public BookLedger ReadFor(IReadOnlyCollection<Book> books) => Read();

        /// <summary>Reads the ledger; a missing file is an empty ledger, a damaged one throws <see cref="LedgerCorruptException"/>.</summary>
        public BookLedger Read()
        {
            var bytes = ReadDatabase();
            if (bytes is null) return BookLedger.Empty();
            if (_lastWritten != null && bytes.AsSpan().SequenceEqual(_lastWritten)) return _lastLedger!;
            return LedgerJson.Parse(bytes, Workspace.DatabasePath);
        }

        /// <inheritdoc />
        /// <remarks>
        /// No read of the file takes a lock (every write replaces it atomically); the ledger parsed last is kept while the
        /// file's length and last write time stay the same, so polling an unchanged ledger of many books costs one look
        /// at the file.
        /// </remarks>
        public BookLedger ReadAsWritten() =>
            _asWritten.Get(Workspace.DatabasePath, path => ReadDatabase() is { } bytes ? LedgerJson.Parse(bytes, path) : BookLedger.Empty(), BookLedger.Empty());

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
                    try { AtomicFile.Write(Workspace.DatabasePath, content, bytes != null ? Workspace.BackupPath : null); }
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
            try { return AtomicFile.ReadBytes(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw BookDatabaseIOException.From(path, writing: false, e);
            }
        }

        private byte[]? _lastWritten;
        private BookLedger? _lastLedger;
        private readonly FileCache<BookLedger> _asWritten = new();
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
                AtomicFile.Write(Workspace.DatabasePath, LedgerJson.Write(ledger), exists && keepDamagedAs is null ? Workspace.BackupPath : null);
            }
        }
    }
}
