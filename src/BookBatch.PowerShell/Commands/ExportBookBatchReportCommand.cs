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
    /// image from the network: it opens on a server without internet and can be mailed). The batch: -Id, the last one
    /// (-Last, the default), or the one whose results are piped in.
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
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>The last batch of the workspace (the default).</summary>
        [Parameter(ParameterSetName = LastParameterSet)]
        public SwitchParameter Last { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject != null && !_batchIds.Contains(InputObject.BatchId, StringComparer.OrdinalIgnoreCase)) _batchIds.Add(InputObject.BatchId);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (BatchId() is not string id) return;
            var reader = new WorkspaceReader(CurrentWorkspace);
            var read = reader.ReadBatch(id, DateTimeOffset.Now);
            if (read is null)
            {
                WriteError(Errors.From(new BatchNotFoundException(id, CurrentWorkspace.BatchesPath), id));
                return;
            }
            var (batch, timeline) = read.Value;
            var path = ResolvePath(Path);
            if (!ShouldProcess(path, $"Write the report of batch {batch.Id} ({timeline.Rows.Count} books)")) return;
            Try(() =>
            {
                File.WriteAllText(path, ReportPage.Render(batch, timeline, CurrentWorkspace.Root), new UTF8Encoding(false));
                WriteObject(new FileInfo(path));
            }, path);
        }

        // The batch asked for; null (with the error written) when there is none or the input is of several.
        private string? BatchId()
        {
            switch (ParameterSetName)
            {
                case IdParameterSet:
                    return Id;
                case InputParameterSet:
                    if (_batchIds.Count == 1) return _batchIds[0];
                    WriteError(Errors.Record(ErrorIds.BatchReportAmbiguous, ErrorCategory.InvalidArgument,
                        _batchIds.Count == 0 ? "No result was piped in: pipe the results of one Invoke-BookBatch, or name the batch with -Id."
                            : $"The results piped in are of {_batchIds.Count} batches ({string.Join(", ", _batchIds)}): a report is of one batch. Name it with -Id.",
                        string.Join(", ", _batchIds)));
                    return null;
                default:
                    var ids = BatchJournals.Ids(CurrentWorkspace);
                    if (ids.Count > 0) return ids[0];
                    WriteError(Errors.From(new BatchNotFoundException(null, CurrentWorkspace.BatchesPath), CurrentWorkspace.BatchesPath));
                    return null;
            }
        }
    }
}
