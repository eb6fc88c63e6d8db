using System.Collections.Generic;

namespace BookBatch.Engine.Ledger
{
    /// <summary>What kind of problem <c>Test-BookDatabase</c> found.</summary>
    public enum BookDatabaseIssueKind
    {
        /// <summary>The file is not valid JSON or not the seed's schema.</summary>
        Corrupt,
        /// <summary>The same book is recorded more than once.</summary>
        Duplicate,
        /// <summary>A run folder name that is not a plain folder name under <c>runs/</c>.</summary>
        UnsafeRunFolder,
        /// <summary>A status other than "done", "processing" or null.</summary>
        UnknownStatus,
        /// <summary>A book's run folder does not exist (the next batch starts a new one).</summary>
        MissingRunFolder,
        /// <summary>A done book without a YouTube URL.</summary>
        DoneWithoutUrl,
        /// <summary><c>database.json.bak</c> cannot be read, so there is no good copy to restore.</summary>
        BackupUnreadable,
    }

    /// <summary>How much an issue matters.</summary>
    public enum BookDatabaseIssueSeverity
    {
        /// <summary>Worth knowing; batches work.</summary>
        Warning,
        /// <summary>Batches refuse to work (corrupt) or may do the wrong thing (duplicates); run Repair-BookDatabase.</summary>
        Error,
    }

    /// <summary>One problem found in the database.</summary>
    public sealed class BookDatabaseIssue
    {
        internal BookDatabaseIssue(BookDatabaseIssueKind kind, BookDatabaseIssueSeverity severity, string? book, string message)
        {
            Kind = kind;
            Severity = severity;
            Book = book;
            Message = message;
        }

        /// <summary>What kind of problem.</summary>
        public BookDatabaseIssueKind Kind { get; }
        /// <summary>Warning or Error.</summary>
        public BookDatabaseIssueSeverity Severity { get; }
        /// <summary>The book concerned, as a book-list line, when the problem is about one book.</summary>
        public string? Book { get; }
        /// <summary>What is wrong and what to do.</summary>
        public string Message { get; }
    }

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
