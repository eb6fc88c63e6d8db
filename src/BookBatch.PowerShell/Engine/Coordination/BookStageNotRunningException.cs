using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination
{
    /// <summary>Nothing that could be ended runs for a book: no stage process a dead batch left is alive.</summary>
    public sealed class BookStageNotRunningException : Exception
    {
        /// <summary>Creates the error for a book and why nothing runs for it.</summary>
        public BookStageNotRunningException(Book book, string why)
            : base($"Nothing runs for '{book}': {why}. Nothing was ended. Get-BookStatus shows what the book waits for, and Get-BookRun its stages.")
        {
            Book = book;
        }

        /// <summary>The book, as recorded.</summary>
        public Book Book { get; }
    }
}
