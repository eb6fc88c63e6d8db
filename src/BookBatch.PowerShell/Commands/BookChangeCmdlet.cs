using System;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// A cmdlet that changes one book at a time in the ledger (Add-, Complete-, Reset-, Remove-Book): books come as
    /// <c>-Title</c>/<c>-Author</c> or from the pipeline (see <see cref="BookInputCmdlet"/>); each change asks
    /// ShouldProcess, then changes that one book through the ledger's per-book change (under the ledger's lock), so a
    /// store of rows touches only its row.
    /// </summary>
    public abstract class BookChangeCmdlet : BookInputCmdlet
    {
        /// <summary>Writes the book's new status (Remove-Book: the status it had when it was removed).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>
        /// True when the change is made even while a batch, or a stage process a dead batch left, holds the book (the
        /// cmdlet's -Force); false refuses such a book with BookInProgress. Add-Book has nothing held to change.
        /// </summary>
        protected virtual bool ChangeHeldBooks => true;

        /// <summary>What the change does, as ShouldProcess shows it ("Add to the book database").</summary>
        protected abstract string ChangeDescription { get; }

        /// <summary>
        /// Makes the change to the one book <paramref name="edit"/> names, read afresh under the ledger's lock; returns
        /// the entry changed (or removed), or throws an engine exception, in which case nothing is written.
        /// </summary>
        protected abstract LedgerEntry Change(BookEdit edit, Book book);

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var target = Target;
            if (CurrentBook() is not Book book) return;
            if (!ShouldProcess(book.ToString(), ChangeDescription)) return;

            BookStatus? status = null;
            var root = CurrentWorkspace.Root;
            IHeldBook? held = null;
            if (!ChangeHeldBooks && !Try(() => held = Hold(book), target)) return;
            using var hold = held;
            (bool, BookStatus) Changed(BookEdit edit)
            {
                // A removed book reads as it was when it was removed: the user sees what is gone.
                var entry = Change(edit, book);
                return (true, BookPlanner.StatusOf(entry, root));
            }
            var books = new[] { book };
            if (!Try(() => status = held is null ? Store.Change(books, Changed, Cancellation) : Coordination.ChangeHeld(held, books, Changed, Cancellation), target))
                return;
            if (PassThru) WriteObject(status);
        }

        // Takes the recorded book's lease for the change, so that no batch starts it meanwhile; refuses a book a live
        // batch holds, or whose stage a dead batch left running (a Review is no hold: these cmdlets settle it).
        private IHeldBook? Hold(Book book)
        {
            var recorded = Store.Find(book).Entry;
            if (recorded is null) return null; // the change itself says the book is not recorded
            var name = MyInvocation.MyCommand.Name;
            if (Holds(recorded.Book, recorded.RunFolder) is { Action: BookAction.InProgress } hold)
                throw new BookInProgressException(recorded.Book.ToString(), hold.Reason, name);
            return Coordination.TryHoldBook(recorded.Book, name)
                ?? throw new BookInProgressException(recorded.Book.ToString(), "in progress in another batch, which took it just now", name);
        }
    }
}
