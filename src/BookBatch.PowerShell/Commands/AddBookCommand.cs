using System;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;

namespace BookBatch.Commands
{
    /// <summary>
    /// <para type="synopsis">Records books in the database with status processing (the old system's add_book).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "Book", SupportsShouldProcess = true, DefaultParameterSetName = TitleParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class AddBookCommand : BookChangeCmdlet
    {
        /// <inheritdoc />
        protected override string ChangeDescription => "Add to the book database";

        /// <inheritdoc />
        protected override LedgerEntry Change(BookEdit edit, Book book)
        {
            var match = edit.Find(book);
            if (match.IsAmbiguous) throw new BookAmbiguousException(book, match.Ambiguous);
            if (match.Entry != null) throw new BookAlreadyRecordedException(book, match.Entry);
            return edit.Add(book, DateTime.Now);
        }
    }
}
