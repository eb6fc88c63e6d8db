using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// The queue in the workspace's files: <c>batches/queue-paused.json</c> while it is paused, and for each live worker
    /// an OS lock <c>batches/workers/&lt;id&gt;.lock</c>, held for the worker's life (the OS releases it when the process
    /// dies), beside <c>&lt;id&gt;.json</c>, what it last reported. A status file whose lock is free is a dead worker's:
    /// the listing removes it.
    /// </summary>
    internal sealed class FileWorkQueue : IWorkQueue
    {
        private readonly Workspace _workspace;

        public FileWorkQueue(Workspace workspace) => _workspace = workspace;

        public DateTimeOffset? PausedSince()
        {
            var bytes = AtomicFile.ReadBytes(_workspace.QueuePausedPath);
            if (bytes is null) return null;
            try { return JsonSerializer.Deserialize<QueuePaused>(bytes)?.Since ?? File.GetLastWriteTimeUtc(_workspace.QueuePausedPath); }
            catch (JsonException) { return File.GetLastWriteTimeUtc(_workspace.QueuePausedPath); } // paused all the same
        }

        public bool Pause()
        {
            if (File.Exists(_workspace.QueuePausedPath)) return false;
            Directory.CreateDirectory(_workspace.BatchesPath);
            AtomicFile.Write(_workspace.QueuePausedPath, JsonSerializer.SerializeToUtf8Bytes(new QueuePaused { Since = DateTimeOffset.Now }), backupPath: null);
            return true;
        }

        public bool Resume()
        {
            if (!File.Exists(_workspace.QueuePausedPath)) return false;
            File.Delete(_workspace.QueuePausedPath);
            return true;
        }

        public IWorkerPresence Join(string workerId)
        {
            Directory.CreateDirectory(_workspace.WorkersPath);
            var (lockPath, statusPath) = Paths(workerId);
            var held = WorkspaceLock.TryAcquire(lockPath) ?? throw new IOException($"The worker '{workerId}' is running already.");
            return new Presence(held, statusPath, new WorkerStatus
            {
                Id = workerId, Server = Environment.MachineName, ProcessId = System.Diagnostics.Process.GetCurrentProcess().Id,
                Started = DateTimeOffset.Now, Heartbeat = DateTimeOffset.Now,
            });
        }

        public IReadOnlyList<WorkerStatus> Workers()
        {
            var live = new List<WorkerStatus>();
            if (!Directory.Exists(_workspace.WorkersPath)) return live;
            foreach (var statusPath in Directory.EnumerateFiles(_workspace.WorkersPath, "*.json"))
            {
                var (lockPath, _) = Paths(Path.GetFileNameWithoutExtension(statusPath));
                using (var probe = WorkspaceLock.TryAcquire(lockPath))
                    if (probe != null)
                    {
                        Forget(statusPath); // its worker died without taking itself off the list
                        continue;
                    }
                var bytes = AtomicFile.ReadBytes(statusPath);
                try { if (bytes != null && JsonSerializer.Deserialize<WorkerStatus>(bytes) is { } status) live.Add(status); }
                catch (JsonException) { } // being written: listed at the next look
            }
            live.Sort((a, b) => a.Started.CompareTo(b.Started));
            return live;
        }

        private (string Lock, string Status) Paths(string workerId) =>
            (Path.Combine(_workspace.WorkersPath, workerId + ".lock"), Path.Combine(_workspace.WorkersPath, workerId + ".json"));

        private static void Forget(string statusPath)
        {
            try { File.Delete(statusPath); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private sealed class QueuePaused
        {
            public DateTimeOffset Since { get; set; }
        }

        private sealed class Presence : IWorkerPresence
        {
            private readonly WorkspaceLock _lock;
            private readonly string _statusPath;
            private readonly WorkerStatus _status;

            public Presence(WorkspaceLock held, string statusPath, WorkerStatus status)
            {
                _lock = held;
                _statusPath = statusPath;
                _status = status;
                Write();
            }

            public void Report(WorkerActivity activity, int books, string? batch)
            {
                _status.Activity = activity;
                _status.Books = books;
                _status.Batch = batch;
                _status.Heartbeat = DateTimeOffset.Now;
                Write();
            }

            private void Write() => AtomicFile.Write(_statusPath, JsonSerializer.SerializeToUtf8Bytes(_status), backupPath: null, durable: false);

            public void Dispose()
            {
                Forget(_statusPath);
                _lock.Dispose();
            }
        }
    }
}
