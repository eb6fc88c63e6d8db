using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// The books one ledger change named, under the ledger's lock: the change finds, adds and removes only those, so
    /// that a store of rows can lock and write just their rows. Naming a book the change did not name is a mistake of
    /// the caller and throws.
    /// </summary>
    public sealed class BookEdit
    {
        private readonly BookLedger _ledger;
        private readonly HashSet<string> _titles;

        /// <summary>An edit of <paramref name="books"/> in <paramref name="ledger"/>.</summary>
        public BookEdit(BookLedger ledger, IEnumerable<Book> books)
        {
            _ledger = ledger;
            _titles = new HashSet<string>(System.Linq.Enumerable.Select(books, b => b.Title), Book.Comparer);
        }

        /// <summary>Finds a named book.</summary>
        public BookMatch Find(Book book) => _ledger.Find(Named(book));

        /// <summary>The recorded entry of a named book; throws when it is not recorded or a title-only line is ambiguous.</summary>
        public LedgerEntry FindExisting(Book book) => _ledger.FindExisting(Named(book));

        /// <summary>Records a named book as new (status <c>processing</c>).</summary>
        public LedgerEntry Add(Book book, DateTime now) => _ledger.Add(Named(book), now);

        /// <summary>Forgets a recorded entry of a named book.</summary>
        public bool Remove(LedgerEntry entry)
        {
            Named(entry.Book);
            return _ledger.Remove(entry);
        }

        // A title-only line names the recorded book of that title whatever its author, so the check is by title.
        private Book Named(Book book) =>
            _titles.Contains(book.Title) ? book : throw new InvalidOperationException($"This ledger change did not name the book '{book}'.");
    }
}
