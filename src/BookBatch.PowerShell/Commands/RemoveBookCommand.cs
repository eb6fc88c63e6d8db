using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;

namespace BookBatch.Commands
{
    /// <summary>Forgets books: removes them from the database. Their run folders stay on disk.</summary>
    [Cmdlet(VerbsCommon.Remove, "Book", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TitleParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class RemoveBookCommand : BookChangeCmdlet
    {
        /// <summary>Removes the book even while a batch, or a stage process a killed batch left running, works on it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override bool ChangeHeldBooks => Force;

        /// <inheritdoc />
        protected override string ChangeDescription => "Remove from the book database (its run folder stays)";

        /// <inheritdoc />
        protected override LedgerEntry Change(BookEdit edit, Book book)
        {
            var entry = edit.FindExisting(book);
            edit.Remove(entry);
            return entry;
        }
    }
}
