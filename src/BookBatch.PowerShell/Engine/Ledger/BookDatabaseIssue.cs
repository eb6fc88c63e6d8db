namespace BookBatch.Engine.Ledger
{
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
}
