using System;
using System.IO;

namespace BookBatch.Engine.Workspaces
{
    /// <summary>The folder that holds <c>bookbatch.json</c>, <c>database.json</c>, <c>runs/</c> and <c>batches/</c>.</summary>
    public sealed class Workspace
    {
        /// <summary>The environment variable that names the workspace when <c>-Workspace</c> is not given.</summary>
        public const string EnvironmentVariable = "BOOKBATCH_WORKSPACE";

        /// <summary>The settings file's name.</summary>
        public const string SettingsFileName = "bookbatch.json";

        /// <summary>The ledger's file name.</summary>
        public const string DatabaseFileName = "database.json";

        /// <summary>Creates a workspace over an absolute folder path.</summary>
        public Workspace(string root)
        {
            if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("A workspace needs a folder.", nameof(root));
            Root = Path.GetFullPath(root);
        }

        /// <summary>The workspace folder.</summary>
        public string Root { get; }

        /// <summary><c>database.json</c>: the ledger.</summary>
        public string DatabasePath => Path.Combine(Root, DatabaseFileName);

        /// <summary><c>database.json.bak</c>: the previous good ledger.</summary>
        public string BackupPath => DatabasePath + ".bak";

        /// <summary>The lock file every ledger write holds (an OS lock, released when the process dies).</summary>
        public string LockPath => DatabasePath + ".lock";

        /// <summary><c>bookbatch.json</c>: the pipeline settings.</summary>
        public string SettingsPath => Path.Combine(Root, SettingsFileName);

        /// <summary><c>runs/</c>: one folder per book run.</summary>
        public string RunsPath => Path.Combine(Root, "runs");

        /// <summary><c>batches/</c>: one journal per batch.</summary>
        public string BatchesPath => Path.Combine(Root, "batches");

        /// <summary><c>batches/leases/</c>: one lock file per held book, named after the book's hash.</summary>
        public string LeasesPath => Path.Combine(BatchesPath, "leases");

        /// <summary><c>batches/leases/holders/</c>: who holds a book, one file per held book (for display and plans).</summary>
        public string LeaseHoldersPath => Path.Combine(LeasesPath, "holders");

        /// <summary><c>batches/limits/</c>: the stages' concurrency places and rate windows.</summary>
        public string LimitsPath => Path.Combine(BatchesPath, "limits");

        /// <summary>batches/workers: one lock and one status file a live worker (Start-BookBatchWorker).</summary>
        public string WorkersPath => Path.Combine(BatchesPath, "workers");

        /// <summary>batches/queue-paused.json: present while the queue is paused for every worker.</summary>
        public string QueuePausedPath => Path.Combine(BatchesPath, "queue-paused.json");

        /// <summary>The lock file of a book's lease, by the lease's name (the book's hash).</summary>
        public string LeaseLockPath(string leaseName) => Path.Combine(LeasesPath, leaseName + ".lock");

        /// <summary>The holder file of a book's lease, by the lease's name (the book's hash).</summary>
        public string LeaseHolderPath(string leaseName) => Path.Combine(LeaseHoldersPath, leaseName + ".json");

        /// <summary>The lock file of place <paramref name="place"/> (from 0) of a stage's concurrency.</summary>
        public string StageSlotPath(string stage, int place) =>
            Path.Combine(LimitsPath, stage.ToLowerInvariant() + ".slot" + place.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".lock");

        /// <summary>A stage's rate window: its starts and its "not now" (its lock is the same name with <c>.lock</c>).</summary>
        public string StageStartsPath(string stage) => Path.Combine(LimitsPath, stage.ToLowerInvariant() + ".starts");

        /// <summary>True when the workspace folder exists.</summary>
        public bool Exists => Directory.Exists(Root);

        /// <summary>
        /// Why the workspace folder cannot be read (no permission to list it), or null when it can: a folder that only
        /// seemed empty would be answered as a workspace without books.
        /// </summary>
        public Exception? Unreadable()
        {
            try
            {
                using var entries = Directory.EnumerateFileSystemEntries(Root).GetEnumerator();
                entries.MoveNext();
                return null;
            }
            catch (UnauthorizedAccessException e) { return e; }
        }

        /// <summary>
        /// The full path of a run folder named in the ledger, or null when the name is not a plain folder name
        /// (a name with separators or dots could leave <c>runs/</c>).
        /// </summary>
        public string? RunFolderPath(string? runFolder)
        {
            if (!RunFolderName.IsPlainName(runFolder)) return null;
            return Path.Combine(RunsPath, runFolder!);
        }

        /// <inheritdoc />
        public override string ToString() => Root;
    }
}
