using System.Collections.Generic;

namespace BookBatch.Engine.Ledger
{
    /// <summary>The result of checking a workspace's <c>database.json</c>.</summary>
    public sealed class BookDatabaseReport
    {
        internal BookDatabaseReport(string path, bool exists, int books, IReadOnlyList<BookDatabaseIssue> issues)
        {
            Path = path;
            Exists = exists;
            Books = books;
            Issues = issues;
            foreach (var issue in issues)
                if (issue.Severity == BookDatabaseIssueSeverity.Error) IsHealthy = false;
        }

        /// <summary>The database file.</summary>
        public string Path { get; }
        /// <summary>False when there is no database yet (an empty ledger, which is healthy).</summary>
        public bool Exists { get; }
        /// <summary>How many books it records (0 when it cannot be read).</summary>
        public int Books { get; }
        /// <summary>True when no issue is an error.</summary>
        public bool IsHealthy { get; } = true;
        /// <summary>Every problem found.</summary>
        public IReadOnlyList<BookDatabaseIssue> Issues { get; }
    }
}
