using System;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// A write fenced by a book's claim was refused: the claim is no longer its holder's (its lease ran out, or another
    /// holder took the book with a newer token). Nothing was written; the holder must stop working on the book.
    /// </summary>
    public sealed class ClaimLostException : Exception
    {
        /// <summary>The claim <paramref name="token"/> of <paramref name="book"/> is lost.</summary>
        public ClaimLostException(string book, long token)
            : base($"The claim (token {token}) on '{book}' is lost: its lease ran out or another holder took the book; nothing was written.")
        {
            Book = book;
            Token = token;
        }

        /// <summary>The book.</summary>
        public string Book { get; }

        /// <summary>The lost claim's token.</summary>
        public long Token { get; }
    }
}
