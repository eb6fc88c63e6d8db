using System;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;

using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Forces a book back to work: status processing; with -FromStage, that stage and the ones after it run again.</summary>
    [Cmdlet(VerbsCommon.Reset, "Book", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = TitleParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class ResetBookCommand : BookChangeCmdlet
    {
        /// <summary>
        /// The first stage to run again. It and every later stage are marked not run in the book's summary.json;
        /// earlier stages stay done. Without it, the book resumes at its first stage that has not succeeded.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(StageNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? FromStage { get; set; }

        /// <summary>Resets the book even while a batch, or a stage process a killed batch left running, works on it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override bool ChangeHeldBooks => Force;

        /// <inheritdoc />
        protected override string ChangeDescription =>
            FromStage is null ? "Set back to processing" : $"Set back to processing and run again from stage '{FromStage}'";

        /// <inheritdoc />
        protected override LedgerEntry Change(BookEdit edit, Book book)
        {
            var entry = edit.FindExisting(book);
            if (FromStage != null)
            {
                // The summary is changed first: if it cannot be, the ledger is not written either.
                var reset = RunFolderReset.From(CurrentWorkspace, entry.RunFolder, FromStage)
                    ?? throw new RunFolderNotFoundException(entry.Book.ToString(), entry.RunFolder);
                WriteVerbose($"'{entry.Book}': stages {string.Join(", ", reset)} will run again.");
            }
            entry.StatusText = LedgerKeys.StatusProcessing;
            entry.LastError = null;
            entry.Review = null;
            entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
            return entry;
        }
    }
}
