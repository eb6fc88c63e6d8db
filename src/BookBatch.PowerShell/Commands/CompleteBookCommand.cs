using System;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Marks a recorded book as published: status done, with its URLs (the old system's update_youtube_url).</summary>
    [Cmdlet(VerbsLifecycle.Complete, "Book", SupportsShouldProcess = true, DefaultParameterSetName = TitleParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class CompleteBookCommand : BookChangeCmdlet
    {
        /// <summary>The published video's URL (an absolute http or https URL).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("youtube_url")]
        [ValidateNotNullOrEmpty]
        public string YouTubeUrl { get; set; } = string.Empty;

        /// <summary>The published short's URL, if there is one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("short_url")]
        public string? ShortUrl { get; set; }

        /// <summary>Records the book even while a batch, or a stage process a killed batch left running, works on it.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override bool ChangeHeldBooks => Force;

        /// <inheritdoc />
        protected override string ChangeDescription => "Mark as done with " + YouTubeUrl;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (!LedgerKeys.IsWebUrl(YouTubeUrl) || (!string.IsNullOrEmpty(ShortUrl) && !LedgerKeys.IsWebUrl(ShortUrl!)))
            {
                WriteError(Errors.Record(ErrorIds.BookUrlInvalid, ErrorCategory.InvalidArgument,
                    $"'{(LedgerKeys.IsWebUrl(YouTubeUrl) ? ShortUrl : YouTubeUrl)}' is not an absolute http or https URL. Give the full URL, such as https://youtube.com/watch?v=...",
                    LedgerKeys.IsWebUrl(YouTubeUrl) ? ShortUrl : YouTubeUrl));
                return;
            }
            base.ProcessRecord();
        }

        /// <inheritdoc />
        protected override LedgerEntry Change(BookEdit edit, Book book)
        {
            var entry = edit.FindExisting(book);
            entry.StatusText = LedgerKeys.StatusDone;
            entry.YouTubeUrl = YouTubeUrl;
            if (!string.IsNullOrEmpty(ShortUrl)) entry.ShortUrl = ShortUrl;
            entry.LastError = null;
            entry.Review = null; // the operator's word: it published, at this URL
            entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
            return entry;
        }
    }
}
