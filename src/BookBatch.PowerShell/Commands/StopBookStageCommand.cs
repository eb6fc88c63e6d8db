using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Planning;

namespace BookBatch.Commands
{
    /// <summary>
    /// Ends a stage process that a batch whose host was killed outright left running (Linux, macOS), so that the book is
    /// free again without waiting for it; records the attempt's end as cut off. A live batch's stages are not touched.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "BookStage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TitleParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class StopBookStageCommand : BookInputCmdlet
    {
        /// <summary>Writes the book's status once its stage has ended.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var target = Target;
            if (CurrentBook() is not Book book) return;
            var name = MyInvocation.MyCommand.Name;
            ILeftoverStage? leftover = null;
            if (!Try(() => leftover = Coordination.FindLeftoverStage(Store.Read(), book, StagesIfReadable(), name), target)) return;
            if (!ShouldProcess(leftover!.Book.ToString(), leftover.Action)) return;

            StageEnded? ended = null;
            if (!Try(() => ended = leftover.End(name, Cancellation), target)) return;
            Report(leftover, ended!);
            if (PassThru && ReadLedger().Find(leftover.Book).Entry is { } entry)
                WriteObject(BookPlanner.StatusOf(entry, CurrentWorkspace.Root, Holds));
        }

        private void Report(ILeftoverStage leftover, StageEnded ended)
        {
            var book = leftover.Book;
            var stage = leftover.Stage;
            WriteVerbose(ended.WasRunning
                ? $"'{book}': ended stage '{stage}' (process {leftover.Process.Pid} and the processes it started), left running by batch {leftover.Batch}; its attempt {leftover.Attempt} is recorded as cut off."
                : $"'{book}': stage '{stage}' (process {leftover.Process.Pid}) had ended on its own meanwhile; its attempt {leftover.Attempt} is recorded as cut off.");
            var mayHavePublished = $"'{book}': stage '{stage}' was ended before it reported a URL, so it may have published.";
            switch (ended.After)
            {
                case AfterStageEnded.RunsAgain:
                    WriteVerbose($"'{book}': the next batch runs stage '{stage}' again.");
                    break;
                case AfterStageEnded.RecordedFromOutputs:
                    WriteVerbose($"'{book}': stage '{stage}' had reported its URL: the next batch records it from its outputs and does not run it again.");
                    break;
                case AfterStageEnded.AskVerify:
                    WriteWarning(mayHavePublished + " The next batch asks its verify command whether it did, and runs it again only if it did not.");
                    break;
                case AfterStageEnded.Review:
                    WriteWarning(mayHavePublished + " It has no verify command, so the book waits for your review (Action Review) and is not published again on its own. " +
                                 $"If it published: Complete-Book '{book.Title}' -YouTubeUrl <url>; if not: Reset-Book '{book.Title}' -FromStage {stage}.");
                    break;
            }
        }
    }
}
