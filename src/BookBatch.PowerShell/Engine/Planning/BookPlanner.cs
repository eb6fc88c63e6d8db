using System;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Planning
{
    /// <summary>The decision of DESIGN 5.2: one ledger read, one decision per book.</summary>
    public static class BookPlanner
    {
        /// <summary>The action for a ledger state: Done → Skip (Process with force), Processing → Resume, else Process.</summary>
        public static BookAction ActionFor(BookState state, bool force) => state switch
        {
            BookState.Done => force ? BookAction.Process : BookAction.Skip,
            BookState.Processing => BookAction.Resume,
            _ => BookAction.Process,
        };

        /// <summary>The status of a recorded book: a processing book whose publishing stage awaits the operator is Review.</summary>
        public static BookStatus StatusOf(LedgerEntry entry, string workspace, bool force = false) =>
            new(entry.Book.Title, entry.Book.Author, entry.State,
                entry.State == BookState.Processing && !string.IsNullOrEmpty(entry.Review) ? BookAction.Review : ActionFor(entry.State, force),
                entry, workspace);

        /// <summary>
        /// The status of a recorded book with what holds it besides its status (see BookHolds): a live batch or a stage
        /// process a dead one left (InProgress), or a publishing stage cut off (Review). A done book is never held.
        /// </summary>
        public static BookStatus StatusOf(LedgerEntry entry, string workspace, Func<Book, string?, BookHold?> holdOf)
        {
            var status = StatusOf(entry, workspace);
            if (status.Action == BookAction.Skip || holdOf(entry.Book, entry.RunFolder) is not BookHold hold) return status;
            return new BookStatus(status.Title, status.Author, status.Status, hold.Action, entry, workspace, hold.Reason);
        }

        /// <summary>The status of a book that is not in the database.</summary>
        public static BookStatus StatusOfNew(Book book, string workspace) =>
            new(book.Title, book.Author, BookState.New, BookAction.Process, null, workspace);

        /// <summary>The status of a book given by the operator; null with <paramref name="match"/> ambiguous when a title-only line means several books.</summary>
        public static BookStatus? Plan(BookLedger ledger, Book book, string workspace, bool force, out BookMatch match)
        {
            match = ledger.Find(book);
            if (match.IsAmbiguous) return null;
            return match.Entry is null ? StatusOfNew(book, workspace) : StatusOf(match.Entry, workspace, force);
        }
    }
}
