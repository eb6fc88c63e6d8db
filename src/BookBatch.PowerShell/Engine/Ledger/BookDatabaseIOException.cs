using System;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// <c>database.json</c> cannot be read or written for a reason of the file system (a folder in its place, no
    /// permission, a full disk). Nothing was changed.
    /// </summary>
    public sealed class BookDatabaseIOException : System.IO.IOException
    {
        /// <summary>Creates the error for the database file, what could not be done, and the file system's reason.</summary>
        public BookDatabaseIOException(string path, string problem, Exception? inner = null)
            : base($"The book database '{path}' {problem}. Nothing was changed.", inner)
        {
            Path = path;
            PermissionDenied = inner is UnauthorizedAccessException;
        }

        /// <summary>The database file.</summary>
        public string Path { get; }

        /// <summary>True when the file system refused for lack of permission (or a read-only file or folder).</summary>
        public bool PermissionDenied { get; }

        /// <summary>
        /// The error of a failed read or write of the database: a refusal is named as such (and the temporary file or
        /// backup the write went through is not: the operator knows database.json).
        /// </summary>
        public static Exception From(string path, bool writing, Exception e)
        {
            if (e is BookDatabaseIOException or WorkspaceLockedException) return e;
            if (e is System.IO.IOException io && WorkspaceLock.IsHeldByAnother(io)) return WorkspaceLockedException.OpenElsewhere(path);
            var what = writing ? "cannot be written" : "cannot be read";
            return e is UnauthorizedAccessException
                ? new BookDatabaseIOException(path, $"{what}: permission denied. Give your account {(writing ? "write" : "read")} permission on " +
                    $"database.json{(writing ? " and on its folder (a new copy is written next to it and then replaces it), and clear a read-only attribute" : "")}, then try again", e)
                : new BookDatabaseIOException(path, $"{what}: {e.Message.TrimEnd('.')}. Check the disk and the file, then try again", e);
        }
    }
}
