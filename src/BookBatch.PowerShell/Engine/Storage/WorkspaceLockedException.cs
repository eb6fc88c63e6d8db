using System;
using System.IO;

namespace BookBatch.Engine.Storage
{
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
