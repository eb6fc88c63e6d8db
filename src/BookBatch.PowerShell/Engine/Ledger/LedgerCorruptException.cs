using System;

namespace BookBatch.Engine.Ledger
{
    /// <summary><c>database.json</c> cannot be read as a ledger. It is never overwritten while it is in this state.</summary>
    public sealed class LedgerCorruptException : Exception
    {
        /// <summary>Creates the error for a file, a 1-based line and column, and what is wrong there.</summary>
        public LedgerCorruptException(string path, long line, long column, string reason, Exception? inner = null)
            : base($"The book database '{path}' is damaged at line {line}, column {column}: {reason}. " +
                   "Nothing was changed. Run Repair-BookDatabase to restore the last good copy (database.json.bak) " +
                   "or to rebuild it, or fix the file by hand.", inner)
        {
            Path = path;
            Line = line;
            Column = column;
            Reason = reason;
        }

        /// <summary>The damaged file.</summary>
        public string Path { get; }
        /// <summary>The 1-based line of the fault.</summary>
        public long Line { get; }
        /// <summary>The 1-based column of the fault.</summary>
        public long Column { get; }
        /// <summary>What is wrong.</summary>
        public string Reason { get; }
    }
}
