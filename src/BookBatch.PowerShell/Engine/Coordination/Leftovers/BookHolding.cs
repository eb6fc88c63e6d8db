using System;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Coordination.Leftovers
{
    /// <summary>
    /// How a store tells a book's live holder, and takes a book for a holder that settles nothing of it (Stop-BookStage).
    /// On the file store, given back, the book keeps the dead batch's holder file, so that plans still read what that
    /// batch left in the run folder (a publishing stage it cut off is a Review); a claim on PostgreSQL is simply given
    /// back, as a plan reads the run folder of every book in progress there.
    /// </summary>
    internal sealed class BookHolding
    {
        private readonly Func<Book, LeaseHolder?> _holderOf;
        private readonly Func<Book, string, IDisposable?> _tryHoldKeepingTrail;

        public BookHolding(Func<Book, LeaseHolder?> holderOf, Func<Book, string, IDisposable?> tryHoldKeepingTrail)
        {
            _holderOf = holderOf;
            _tryHoldKeepingTrail = tryHoldKeepingTrail;
        }

        /// <summary>The book's live holder; null when no one holds it.</summary>
        public LeaseHolder? HolderOf(Book book) => _holderOf(book);

        /// <summary>Holds the book for <paramref name="holderName"/>; null when someone else holds it.</summary>
        public IDisposable? TryHoldKeepingTrail(Book book, string holderName) => _tryHoldKeepingTrail(book, holderName);
    }
}
