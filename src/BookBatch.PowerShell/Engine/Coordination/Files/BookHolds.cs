using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Leftovers;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// What holds a book besides its status (docs/ARCHITECTURE.md, "hold" and "Resume"): a live batch's lease; or, when
    /// the lease's holder died (its holder file stays behind), what that batch left in the book's run folder
    /// (<see cref="DeadHolderLeft"/>).
    /// </summary>
    internal static class BookHolds
    {
        /// <summary>
        /// The holds as a plan asks for them, book by book with the run folder the ledger names: the holder files are
        /// listed once, and only a book that has one is looked at further.
        /// </summary>
        public static Func<Book, string?, BookHold?> Reader(Workspace workspace, IReadOnlyList<StageSettings>? stages)
        {
            var listed = BookLease.Listed(workspace);
            if (listed.Count == 0) return (_, _) => null;
            return (book, runFolder) => listed.Contains(BookLease.NameOf(book)) ? Inspect(workspace, book, runFolder, stages) : null;
        }

        /// <summary>What holds one book now, or null.</summary>
        public static BookHold? Of(Workspace workspace, Book book, string? runFolder, IReadOnlyList<StageSettings>? stages) =>
            Reader(workspace, stages)(book, runFolder);

        private static BookHold? Inspect(Workspace workspace, Book book, string? runFolder, IReadOnlyList<StageSettings>? stages)
        {
            var holder = BookLease.HolderOf(workspace, book);
            if (holder != null) return new BookHold(BookAction.InProgress, "in progress in another batch: " + holder);
            // The holder file outlived its batch: look at what that batch left.
            return DeadHolderLeft.Hold(workspace, book, runFolder, stages);
        }
    }
}
