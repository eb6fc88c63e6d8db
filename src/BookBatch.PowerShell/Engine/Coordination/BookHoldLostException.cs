using System;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// A write for a book was refused because its holder no longer holds it: its claim ran out (a freeze or a network
    /// cut longer than the lease) and another batch may have taken the book over. Nothing was written.
    /// </summary>
    public sealed class BookHoldLostException : Exception
    {
        /// <summary>Creates the error for <paramref name="book"/>.</summary>
        public BookHoldLostException(string book, Exception? inner = null)
            : base($"'{book}' is no longer held by this batch: its claim on the store ran out (a freeze or a network cut longer " +
                   "than the lease) and another batch may have taken it over, so nothing more was recorded for it here. " +
                   "Get-BookStatus shows who holds it now.", inner)
        {
            Book = book;
        }

        /// <summary>The book, as recorded.</summary>
        public string Book { get; }
    }
}
