using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination
{
    /// <summary>A change was refused: a live batch, or a stage process a dead batch left running, holds the book.</summary>
    public sealed class BookInProgressException : Exception
    {
        /// <summary>Creates the error for a book (or "the database") and what holds it.</summary>
        public BookInProgressException(string book, string reason, string command)
            : base($"'{book}' is {reason}. Nothing was changed. Wait until it ends (Get-BookStatus shows when it is free), " +
                   $"or stop it; to change it all the same, run {command} again with -Force.")
        {
            Book = book;
        }

        private BookInProgressException(string book, string message)
            : base(message)
        {
            Book = book;
        }

        /// <summary>The error for a book with a message of its own: a refusal that no -Force overrides (Stop-BookStage).</summary>
        internal static BookInProgressException WithMessage(string book, string message) => new(book, message);

        /// <summary>The book, as given.</summary>
        public string Book { get; }
    }
}
