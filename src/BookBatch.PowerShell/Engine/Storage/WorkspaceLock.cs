using System;
using System.IO;
using System.Threading;

namespace BookBatch.Engine.Storage
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
}
