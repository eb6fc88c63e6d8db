using System;
using System.IO;
using System.Threading;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// An exclusive OS lock on a file. The operating system releases it when the holder's process dies, so a crashed
    /// batch never leaves the workspace locked.
    /// </summary>
    public sealed class WorkspaceLock : IDisposable
    {
        private readonly FileStream _stream;

        private WorkspaceLock(FileStream stream) => _stream = stream;

        /// <summary>The locked file, for a holder that keeps a note in it (a stage slot names its process).</summary>
        internal FileStream Stream => _stream;

        /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; observes <paramref name="cancellation"/> while it waits.</summary>
        public static WorkspaceLock Acquire(string path, TimeSpan timeout, CancellationToken cancellation)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var pause = 2;
            var random = new Random();
            while (true)
            {
                cancellation.ThrowIfCancellationRequested();
                var held = TryAcquire(path);
                if (held != null) return held;
                if (waited.Elapsed >= timeout) throw new WorkspaceLockedException(path, timeout);
                cancellation.WaitHandle.WaitOne(random.Next(pause, pause * 2));
                pause = Math.Min(pause * 2, 50);
            }
        }

        /// <summary>Takes the lock if nobody holds it; null when somebody does.</summary>
        public static WorkspaceLock? TryAcquire(string path)
        {
            try
            {
                // FileShare.None is an exclusive lock on Windows and an flock() on Unix.
                return new WorkspaceLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (DirectoryNotFoundException) { throw; }
            catch (IOException) { return null; }
        }

        /// <summary>
        /// True when an open failed because another process holds the file locked (a sharing violation on Windows; on
        /// Unix the flock() that .NET takes for FileShare.None, reported as EWOULDBLOCK).
        /// </summary>
        public static bool IsHeldByAnother(IOException e)
        {
            if (e.GetType() != typeof(IOException)) return false;
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
                return (e.HResult & 0xFFFF) is 32 or 33; // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
            return e.HResult == 11 || (e.HResult == 35 && System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX));
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _stream.Dispose();
    }

    /// <summary>Another process held the workspace lock for longer than the time-out.</summary>
    public sealed class WorkspaceLockedException : IOException
    {
        /// <summary>Creates the error for the lock file and how long we waited.</summary>
        public WorkspaceLockedException(string path, TimeSpan waited)
            : base($"Another BookBatch process has held the workspace lock '{path}' for more than {waited.TotalSeconds:0} seconds. " +
                   "Nothing was changed. Wait for the other batch to finish, or stop it, and try again.")
        {
            Path = path;
        }

        private WorkspaceLockedException(string path, string message) : base(message) => Path = path;

        /// <summary>The error for a file that another program holds open and locked, so that not even a read can get at it.</summary>
        public static WorkspaceLockedException OpenElsewhere(string path) =>
            new(path, $"The book database '{path}' is locked by another process (a program holds it open without sharing: an editor, " +
                      "a sync or backup tool, or a script). Nothing was changed. Close that program, or wait until it lets the file go, and try again.");

        /// <summary>The lock file.</summary>
        public string Path { get; }
    }
}
