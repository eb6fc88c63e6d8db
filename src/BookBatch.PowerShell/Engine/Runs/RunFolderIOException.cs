using System;

namespace BookBatch.Engine.Runs
{
}

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A book's run folder (or its <c>summary.json</c>) cannot be read or written for a reason of the file system: a
    /// folder where the file should be, no permission, a full disk. An error of that book alone.
    /// </summary>
    public sealed class RunFolderIOException : Exception
    {
        /// <summary>Creates the error for the file or folder and what the file system said.</summary>
        public RunFolderIOException(string path, string problem, Exception? inner = null)
            : base($"The run folder file '{path}' cannot be used: {problem}. No stage that succeeded is run again because of it; " +
                   "make the run folder readable and writable (or move it aside to start the book in a new one), then run the batch again.", inner)
        {
            Path = path;
            PermissionDenied = inner is UnauthorizedAccessException;
        }

        /// <summary>The file or folder at fault.</summary>
        public string Path { get; }

        /// <summary>True when the file system refused for lack of permission (or a read-only file or folder).</summary>
        public bool PermissionDenied { get; }

        /// <summary>The error for an I/O exception met in a run folder.</summary>
        public static RunFolderIOException From(string folder, Exception e) =>
            new(folder, e is UnauthorizedAccessException
                ? "permission denied (the folder or a file in it is read-only, or you may not write there)"
                : e.Message.TrimEnd('.'), e);
    }
}
