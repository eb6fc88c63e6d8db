using System;

namespace BookBatch.Engine.Books
{
    /// <summary>One line of a book list, parsed: a book, nothing (comment or blank), or a reason it is not a book.</summary>
    public readonly struct BookLine
    {
        internal BookLine(int lineNumber, string text, Book? book, string? error)
        {
            LineNumber = lineNumber;
            Text = text;
            Book = book;
            Error = error;
        }

        /// <summary>The 1-based line number, or 0 when the line did not come from a file.</summary>
        public int LineNumber { get; }

        /// <summary>The line as it was read.</summary>
        public string Text { get; }

        /// <summary>The book, when the line names one.</summary>
        public Book? Book { get; }

        /// <summary>Why the line is not a book, when it is not one and not a comment or blank.</summary>
        public string? Error { get; }

        /// <summary>True for a comment or blank line: nothing to do, nothing wrong.</summary>
        public bool IsEmpty => Book is null && Error is null;

        /// <summary>True for a line that was read as a comment (it starts with '#').</summary>
        public bool IsComment => IsEmpty && Text.TrimStart('\uFEFF', ' ', '\t').StartsWith("#", StringComparison.Ordinal);
    }
}
