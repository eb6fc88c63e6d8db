using System;
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
}
