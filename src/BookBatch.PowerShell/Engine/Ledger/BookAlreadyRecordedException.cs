using System;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
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
