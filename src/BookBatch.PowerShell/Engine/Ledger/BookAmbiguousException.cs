using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
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
}
