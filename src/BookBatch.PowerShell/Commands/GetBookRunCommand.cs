using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// A book's run folder and each stage's state, attempts, duration, exit code, last error and log path: for the
    /// books piped in or named, or for every book of the database that has a run folder.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BookRun", DefaultParameterSetName = AllParameterSet)]
    [OutputType(typeof(BookRun))]
    [OutputType(typeof(string))]
    public sealed class GetBookRunCommand : BookInputCmdlet
    {
        private const string AllParameterSet = "All";

        private BookLedger? _ledger;
        private IReadOnlyList<string>? _pipeline;
        private bool _pipelineRead;

        /// <summary>
        /// Writes the last lines of a stage's log instead of the run: the failed stage's, else the one named with
        /// -Stage, else the stage that ran last.
        /// </summary>
        [Parameter]
        public SwitchParameter Log { get; set; }

        /// <summary>With -Log: how many of the log's last lines (default 20).</summary>
        [Parameter]
        [ValidateRange(1, 100000)]
        public int Tail { get; set; } = 20;

        /// <summary>With -Log: the stage whose log to show (default: the failed stage, else the stage that ran last).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Stage { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // One ledger read serves the whole call, however many books are piped in.
            _ledger ??= ReadLedger();
            if (ParameterSetName == AllParameterSet)
            {
                foreach (var entry in _ledger.Books.Where(e => !string.IsNullOrEmpty(e.RunFolder)))
                    Emit(entry, entry.Book.ToString());
                return;
            }

            if (CurrentBook() is not Book book) return;
            // Books piped straight from a running Invoke-BookBatch may have been recorded after the read: a book
            // the ledger in hand does not know is looked up once more in a fresh read before it is reported missing.
            var match = _ledger.Find(book);
            if (match.Entry is null && !match.IsAmbiguous) _ledger = ReadLedger();
            LedgerEntry? found = null;
            if (Try(() => found = _ledger.FindExisting(book), Target)) Emit(found!, Target);
        }

        private void Emit(LedgerEntry entry, object? target)
        {
            var pipeline = Pipeline();
            BookRun? run = null;
            if (!Try(() => run = BookRun.From(CurrentWorkspace, entry, pipeline, Coordination.HolderOf), target)) return;
            if (!Log) WriteObject(run);
            else WriteLogTail(run!, target);
        }

        private void WriteLogTail(BookRun run, object? target)
        {
            StageRun? stage = null;
            if (!Try(() => stage = run.LogStage(Stage), target)) return;
            if (stage?.LogPath is null)
            {
                WriteError(Errors.Record(ErrorIds.StageLogNotFound, ErrorCategory.ObjectNotFound,
                    stage is null
                        ? $"'{run.Book}' has no stage that ran in its run folder, so there is no log to show. See its stages with Get-BookRun '{run.Title}'."
                        : $"Stage '{stage.Name}' of '{run.Book}' has no log (it has not run, or it wrote nothing). Name another with -Stage; its stages are: {string.Join(", ", run.Stages.Select(s => s.Name))}.",
                    target));
                return;
            }
            foreach (var line in StageLog.Tail(stage.LogPath, Tail)) WriteObject(line);
        }

        /// <summary>The stage names of bookbatch.json, read once; null (the summaries' own order) when it cannot be read.</summary>
        private IReadOnlyList<string>? Pipeline()
        {
            if (_pipelineRead) return _pipeline;
            _pipelineRead = true;
            try
            {
                _pipeline = PipelineSettings.Load(CurrentWorkspace.SettingsPath, CurrentWorkspace.Root).Stages.Select(s => s.Name).ToList();
            }
            catch (System.Exception e) when (e is SettingsInvalidException or System.IO.IOException or System.UnauthorizedAccessException)
            {
                // The runs can still be shown without it; Invoke-BookBatch is where a broken bookbatch.json must stop.
                WriteVerbose("Stages are shown in each summary.json's own order: " + e.Message);
            }
            return _pipeline;
        }
    }
}
