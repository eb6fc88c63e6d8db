using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{

    /// <summary>
    /// A hold on one book, by a batch or by a cmdlet changing it: an OS lock on <c>batches/leases/&lt;hash&gt;.lock</c>, so that no other batch, in
    /// this process or another, works on the book meanwhile. The operating system releases it when the holder
    /// dies, so a crashed batch's books are free at once; nothing is written to database.json for it. Lock files
    /// are never deleted (deleting one another process is about to lock would give two holders). Who holds a book is
    /// written to <c>batches/leases/holders/&lt;hash&gt;.json</c> for as long as it is held, so that a plan finds the
    /// held books in one listing of a small folder instead of probing a lock per book.
    /// </summary>
    internal sealed class BookLease : IHeldBook
    {
        private readonly WorkspaceLock _lock;
        private readonly string _holderPath;
        private readonly byte[]? _trail; // the holder file a dead batch left, put back when the book is given up

        private BookLease(Book book, WorkspaceLock held, string holderPath, byte[]? trail)
        {
            Book = book;
            _lock = held;
            _holderPath = holderPath;
            _trail = trail;
        }

        /// <inheritdoc />
        public Book Book { get; }

        /// <inheritdoc />
        /// <remarks>An OS lock is lost only with its process: never cancelled.</remarks>
        public System.Threading.CancellationToken Lost => System.Threading.CancellationToken.None;

        /// <inheritdoc />
        public bool IsStillHeld() => true;

        /// <inheritdoc />
        /// <remarks>The file store is one server's: nothing of its books runs elsewhere.</remarks>
        public DateTimeOffset? ElsewhereUntil => null;

        /// <summary>Takes the book if no one holds it; null when another batch does.</summary>
        public static BookLease? TryAcquire(Workspace workspace, Book book, string batchId) => Acquire(workspace, book, batchId, keepTrail: false);

        /// <summary>
        /// Takes the book like <see cref="TryAcquire"/>, but leaves the trail of a dead batch as it was: the holder file
        /// that batch left is put back when the book is given up, instead of being deleted, so that later plans still
        /// look at what it left in the run folder (a publishing stage it cut off is a Review). For a holder that settles
        /// nothing of the book (Stop-BookStage ends a stage process and records its end, no more).
        /// </summary>
        public static BookLease? TryAcquireKeepingTrail(Workspace workspace, Book book, string holderName) => Acquire(workspace, book, holderName, keepTrail: true);

        private static BookLease? Acquire(Workspace workspace, Book book, string batchId, bool keepTrail)
        {
            var (lockPath, holderPath) = Paths(workspace, book);
            Directory.CreateDirectory(Path.GetDirectoryName(holderPath)!);
            var held = WorkspaceLock.TryAcquire(lockPath);
            if (held is null) return null;
            var trail = keepTrail ? AtomicFile.ReadBytes(holderPath) : null;
            var holder = new LeaseHolder
            {
                Book = book.ToString(),
                Batch = batchId,
                Host = Environment.MachineName,
                Pid = System.Diagnostics.Process.GetCurrentProcess().Id,
                Since = DateTimeOffset.Now,
            };
            AtomicFile.Write(holderPath, JsonSerializer.SerializeToUtf8Bytes(holder), backupPath: null, durable: false);
            return new BookLease(book, held, holderPath, trail);
        }

        /// <summary>The live holder of a book, or null when no batch holds it.</summary>
        public static LeaseHolder? HolderOf(Workspace workspace, Book book)
        {
            var (lockPath, holderPath) = Paths(workspace, book);
            if (!File.Exists(lockPath)) return null;
            using (var probe = WorkspaceLock.TryAcquire(lockPath))
                if (probe != null) return null;
            var bytes = AtomicFile.ReadBytes(holderPath);
            try { return bytes is null ? new LeaseHolder { Book = book.ToString() } : JsonSerializer.Deserialize<LeaseHolder>(bytes); }
            catch (JsonException) { return new LeaseHolder { Book = book.ToString() }; }
        }

        /// <summary>
        /// The books that have a holder file, by <see cref="NameOf"/>: held now, or held by a batch that died (its file
        /// stays). One listing of a small folder, so that a plan probes only those books.
        /// </summary>
        public static HashSet<string> Listed(Workspace workspace)
        {
            var held = new HashSet<string>(StringComparer.Ordinal);
            var folder = workspace.LeaseHoldersPath;
            if (!Directory.Exists(folder)) return held;
            foreach (var file in Directory.EnumerateFiles(folder, "*.json")) held.Add(Path.GetFileNameWithoutExtension(file));
            return held;
        }

        /// <summary>
        /// Every holder file as it is, without opening a lock file (a batch may be waiting on it): held now, or left by a
        /// batch that died. <paramref name="cache"/> keeps what unchanged files said, so a reader that asks again and
        /// again reads only the files that changed.
        /// </summary>
        public static List<LeaseHolder> Written(Workspace workspace, FileCache<LeaseHolder?> cache)
        {
            var written = new List<LeaseHolder>();
            var folder = workspace.LeaseHoldersPath;
            if (Directory.Exists(folder))
                foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
                    if (cache.Get(file, ReadHolder, null) is LeaseHolder holder) written.Add(holder);
            cache.Sweep();
            return written;
        }

        private static LeaseHolder? ReadHolder(string path)
        {
            var bytes = AtomicFile.ReadBytes(path);
            if (bytes is null || bytes.Length == 0) return null;
            try { return JsonSerializer.Deserialize<LeaseHolder>(bytes); }
            catch (JsonException) { return null; }
        }

        /// <summary>Every live holder of a book in the workspace (a holder file whose lock is still held).</summary>
        public static List<LeaseHolder> LiveHolders(Workspace workspace)
        {
            var live = new List<LeaseHolder>();
            foreach (var name in Listed(workspace))
            {
                var lockPath = workspace.LeaseLockPath(name);
                if (!File.Exists(lockPath)) continue;
                using (var probe = WorkspaceLock.TryAcquire(lockPath))
                    if (probe != null) continue;
                var bytes = AtomicFile.ReadBytes(workspace.LeaseHolderPath(name));
                try { live.Add(bytes is null ? new LeaseHolder() : JsonSerializer.Deserialize<LeaseHolder>(bytes) ?? new LeaseHolder()); }
                catch (JsonException) { live.Add(new LeaseHolder()); }
            }
            return live;
        }

        /// <summary>Gives the book up.</summary>
        public void Dispose()
        {
            try
            {
                // Put back before the lock is released: the next holder then overwrites it, never the other way round.
                if (_trail != null) AtomicFile.Write(_holderPath, _trail, backupPath: null, durable: false);
                else File.Delete(_holderPath);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            _lock.Dispose();
        }

        private static (string Lock, string Holder) Paths(Workspace workspace, Book book)
        {
            var name = NameOf(book);
            return (workspace.LeaseLockPath(name), workspace.LeaseHolderPath(name));
        }

        // A plan checks every book it would work on: one hasher per thread, not one per book.
        [ThreadStatic] private static SHA256? t_sha256;

        /// <summary>The name of a book's lease files: the first 12 bytes of the SHA-256 of the book's key, in lower-case hex.</summary>
        public static string NameOf(Book book)
        {
            const string Hex = "0123456789abcdef";
            var hash = (t_sha256 ??= SHA256.Create()).ComputeHash(Encoding.UTF8.GetBytes(book.Key));
            var name = new char[24];
            for (var i = 0; i < 12; i++)
            {
                name[2 * i] = Hex[hash[i] >> 4];
                name[2 * i + 1] = Hex[hash[i] & 0xF];
            }
            return new string(name);
        }
    }
}
