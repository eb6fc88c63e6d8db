using System;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;

namespace BookBatch.Engine.Batches
{
    /// <summary>One book of a batch and the decision made for it.</summary>
    public sealed class PlannedBook
    {
        internal PlannedBook(int index, Book book, BookStatus status, string? reason, SkipReason skipReason = SkipReason.None)
        {
            SkipReason = skipReason;
            Index = index;
            Book = book;
            Status = status;
            Reason = reason;
        }

        /// <summary>The same book and decision at place <paramref name="index"/> (a book fed to a running batch).</summary>
        internal PlannedBook At(int index) => new(index, Book, Status, Reason, SkipReason);

        /// <summary>1-based place in the input.</summary>
        public int Index { get; }
        /// <summary>The book as recorded (or as given, when new).</summary>
        public Book Book { get; }
        /// <summary>Its status and the planned action.</summary>
        public BookStatus Status { get; }
        /// <summary>The planned action.</summary>
        public BookAction Action => Status.Action;
        /// <summary>Why the action was chosen, when it is not the obvious one (e.g. "listed twice").</summary>
        public string? Reason { get; }
        /// <summary>Why a book that is not work is left alone (AlreadyDone, ListedTwice, InProgress, Review); None for work.</summary>
        public SkipReason SkipReason { get; }
        /// <summary>True for a book the batch will work on (Process or Resume).</summary>
        public bool IsWork => Action == BookAction.Process || Action == BookAction.Resume;
        /// <summary>True for a book that is published already and is processed again (-Force): it will be published again.</summary>
        public bool Republishes => Action == BookAction.Process && Status.Status == BookState.Done;
    }
}
