using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Reports;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Writes a batch's timeline, counts and failures as one self-contained HTML file (no script, style, font or
    /// image from the network: it opens on a server without internet and can be mailed). The batch: -Id, the one whose
    /// results are piped in, or the newest (-Last N: the newest N batches in one file, newest first; the default is 1).
    /// </summary>
    [Cmdlet(VerbsData.Export, "BookBatchReport", SupportsShouldProcess = true, DefaultParameterSetName = LastParameterSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportBookBatchReportCommand : WorkspaceCmdlet
    {
        private const string InputParameterSet = "InputObject";
        private const string IdParameterSet = "Id";
        private const string LastParameterSet = "Last";

        private readonly List<string> _batchIds = new();

        /// <summary>The file to write (an .html file); replaced when it exists.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Results of Invoke-BookBatch: the report is of their batch.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        public BookBatchResult? InputObject { get; set; }

        /// <summary>The id of a batch: the name of its journal in batches/ (with or without .jsonl).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdParameterSet)]
        [ArgumentCompleter(typeof(BatchIdCompleter))]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>How many of the newest batches the report shows, newest first, as Get-BatchSummary -Last. The default is 1: the last batch.</summary>
        [Parameter(ParameterSetName = LastParameterSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Last { get; set; } = 1;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject != null && !_batchIds.Contains(InputObject.BatchId, StringComparer.OrdinalIgnoreCase)) _batchIds.Add(InputObject.BatchId);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var ids = BatchIds();
            if (ids.Count == 0) return;
            var reader = new WorkspaceReader(CurrentWorkspace, Coordination);
            var batches = new List<(BatchView Batch, Timeline Timeline)>();
            foreach (var id in ids)
            {
                if (reader.ReadBatch(id, DateTimeOffset.Now) is { } read) batches.Add(read);
                else
                {
                    WriteError(Errors.From(new BatchNotFoundException(id, CurrentWorkspace.BatchesPath), id));
                    return;
                }
            }
            var path = ResolvePath(Path);
            var what = batches.Count == 1 ? $"batch {batches[0].Batch.Id} ({batches[0].Timeline.Rows.Count} books)" : $"the {batches.Count} newest batches";
            if (!ShouldProcess(path, $"Write the report of {what}")) return;
            Try(() =>
            {
                File.WriteAllText(path, ReportPage.Render(batches, CurrentWorkspace.Root), new UTF8Encoding(false));
                WriteObject(new FileInfo(path));
            }, path);
        }

        // The batches asked for, newest first; none (with the error written) when there is none or the input is of several.
        private IReadOnlyList<string> BatchIds()
        {
            switch (ParameterSetName)
            {
                case IdParameterSet:
                    return new[] { Id };
                case InputParameterSet:
                    if (_batchIds.Count == 1) return _batchIds;
                    WriteError(Errors.Record(ErrorIds.BatchReportAmbiguous, ErrorCategory.InvalidArgument,
                        _batchIds.Count == 0 ? "No result was piped in: pipe the results of one Invoke-BookBatch, or name the batch with -Id."
                            : $"The results piped in are of {_batchIds.Count} batches ({string.Join(", ", _batchIds)}): a report of piped results is of one batch. " +
                              "Name it with -Id, or report the newest batches with -Last.",
                        string.Join(", ", _batchIds)));
                    return Array.Empty<string>();
                default:
                    var ids = BatchJournals.Ids(CurrentWorkspace);
                    if (ids.Count > 0) return ids.Take(Last).ToList();
                    WriteError(Errors.From(new BatchNotFoundException(null, CurrentWorkspace.BatchesPath), CurrentWorkspace.BatchesPath));
                    return Array.Empty<string>();
            }
        }
    }
}
