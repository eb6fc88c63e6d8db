using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>A book that a change needs is not in the database.</summary>
    public sealed class BookNotFoundException : Exception
    {
        /// <summary>Creates the error for a book.</summary>
        public BookNotFoundException(Book book)
            : base($"'{book}' is not in the book database. Check the spelling with Get-BookStatus, or add it with Add-Book.") => Book = book;

        /// <summary>The book that was looked for.</summary>
        public Book Book { get; }
    }

    /// <summary>A title-only line matches several recorded books.</summary>
    public sealed class BookAmbiguousException : Exception
    {
        /// <summary>Creates the error for a book and the recorded books it could mean.</summary>
        public BookAmbiguousException(Book book, IEnumerable<LedgerEntry> candidates)
            : base($"'{book}' matches {candidates.Count()} recorded books: {string.Join(", ", candidates.Select(c => "'" + c.Book + "'"))}. " +
                   "Add the author to say which one, as 'Title | Author'.") => Book = book;

        /// <summary>The book as given.</summary>
        public Book Book { get; }
    }

    /// <summary>Add-Book of a book that is already recorded.</summary>
    public sealed class BookAlreadyRecordedException : Exception
    {
        /// <summary>Creates the error for a book and its entry.</summary>
        public BookAlreadyRecordedException(Book book, LedgerEntry entry)
            : base($"'{entry.Book}' is already in the book database with status '{entry.StatusText ?? "null"}'. " +
                   "Nothing was added; use Reset-Book to work on it again.") => Book = book;

        /// <summary>The book as given.</summary>
        public Book Book { get; }
    }
}
