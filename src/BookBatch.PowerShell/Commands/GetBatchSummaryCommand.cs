using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// The totals and percentages of a batch (the old system's final table): from the results piped in by Invoke-BookBatch,
    /// or from a batch's journal in batches/ (-Id, -Last).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BatchSummary", DefaultParameterSetName = LastParameterSet)]
    [OutputType(typeof(BatchSummary))]
    public sealed class GetBatchSummaryCommand : WorkspaceCmdlet
    {
        private const string InputParameterSet = "InputObject";
        private const string IdParameterSet = "Id";
        private const string LastParameterSet = "Last";

        private readonly List<BookBatchResult> _results = new();

        /// <summary>Results of Invoke-BookBatch; all of them are summed up into one summary when the pipeline ends.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        public BookBatchResult? InputObject { get; set; }

        /// <summary>The id of a batch: the name of its journal in batches/ (with or without .jsonl).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdParameterSet)]
        [ArgumentCompleter(typeof(BatchIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>How many of the latest batches to summarize, newest first. The default is 1: the last batch.</summary>
        [Parameter(ParameterSetName = LastParameterSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; } = 1;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputParameterSet && InputObject != null) _results.Add(InputObject);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            switch (ParameterSetName)
            {
                case InputParameterSet:
                    WriteObject(SummaryOfResults());
                    break;
                case IdParameterSet:
                    var path = BatchJournals.Find(CurrentWorkspace, Id);
                    if (path is null)
                    {
                        WriteError(Errors.From(new BatchNotFoundException(Id, CurrentWorkspace.BatchesPath), Id));
                        return;
                    }
                    WriteJournal(path, BatchJournals.IdOf(Path.GetFileName(path))!);
                    break;
                default:
                    var ids = BatchJournals.Ids(CurrentWorkspace);
                    if (ids.Count == 0)
                    {
                        WriteError(Errors.From(new BatchNotFoundException(null, CurrentWorkspace.BatchesPath), CurrentWorkspace.BatchesPath));
                        return;
                    }
                    for (var i = 0; i < ids.Count && i < Last; i++)
                        WriteJournal(BatchJournal.PathOf(CurrentWorkspace, ids[i]), ids[i]);
                    break;
            }
        }

        private void WriteJournal(string path, string id)
        {
            BatchJournalContents? journal = null;
            if (Try(() => journal = BatchJournal.ReadContents(path, id), path)) WriteObject(BatchSummary.From(journal!));
        }

        private BatchSummary SummaryOfResults()
        {
            // Results carry no end-of-batch flag; when they are all of one batch, its journal in this workspace says
            // whether it was cut short and how many books it planned.
            var summary = BatchSummary.From(_results, interrupted: false);
            if (summary.BatchId is null) return summary;
            var path = BatchJournals.Find(CurrentWorkspace, summary.BatchId);
            if (path is null) return summary;
            BatchJournalContents? journal = null;
            if (!Try(() => journal = BatchJournal.ReadContents(path, summary.BatchId), path)) return summary;
            WriteVerbose($"Batch {summary.BatchId}: journal {path}");
            return BatchSummary.From(new BatchJournalContents(summary.BatchId, path, _results, journal!.Ended, journal.Stopped, journal.Planned, journal.Notifications));
        }
    }
}
