using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workers;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Runs a worker in the foreground until it is stopped: it takes the books the workspace owes (added with Add-Book,
    /// or left unfinished by a batch) and runs their stages with every rule a batch keeps, round after round, writing
    /// each book's result as it finishes and a log line for everything it does. Ctrl+C, SIGTERM or a stopped service
    /// drain it: no book or stage starts, and running stages get -GraceSeconds to end before they are ended.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "BookBatchWorker")]
    [OutputType(typeof(BookBatchResult))]
    public sealed class StartBookBatchWorkerCommand : BatchRunCmdlet
    {
        /// <summary>After a stop: how many seconds running stages may take to end by themselves before they are ended (60; 0 ends them at once).</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public double GraceSeconds { get; set; } = 60;

        /// <summary>How often a worker with nothing to do, or a paused queue, looks again (10 seconds).</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public double PollSeconds { get; set; } = 10;

        /// <summary>Ends once no book is owed instead of waiting for more (for a scheduled run).</summary>
        [Parameter]
        public SwitchParameter StopWhenIdle { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var workspace = CurrentWorkspace;
            var settings = LoadRunnableSettings();
            var options = new WorkerOptions
            {
                Poll = TimeSpan.FromSeconds(PollSeconds), Grace = TimeSpan.FromSeconds(GraceSeconds), StopWhenIdle = StopWhenIdle,
            };
            using var pump = new PipelinePump();
            var log = new WorkerLog(pump, workspace, options.Poll);
            var (watch, runners) = StageRunners();
            using var watched = watch;
            var worker = new BookWorker(workspace, Coordination, settings, () => OptionsFrom(settings), options, runners, log);
            log.Line($"worker {worker.Id} of {workspace.Root} started ({StoreName()}); Ctrl+C or SIGTERM drains it");
            // Ctrl+C (StopProcessing) or a termination signal (SIGTERM, SIGHUP, a stopped service) drains the worker alike.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            var work = Task.Run(() => worker.RunAsync(stop.Token));
            // The process ends once the worker has written everything (its drain, its last results): under a service its
            // output is the log, and what the pipeline had not yet taken when the process ended was lost.
            var written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var signals = TerminationSignals.StopOn(stop, written.Task, options.Grace);
            try
            {
                Try(() => pump.Run(this, work, stop.Cancel), workspace.Root, terminating: true);
                var results = work.Result;
                WriteInformation(new HostInformationMessage
                {
                    Message = $"The worker {worker.Id} stopped: {results.Count(r => r.Outcome is BookOutcome.Success or BookOutcome.Resumed)} book(s) done, " +
                              $"{results.Count(r => r.Outcome == BookOutcome.Failed)} failed, {results.Count(r => r.Outcome == BookOutcome.Skipped)} skipped.",
                }, new[] { "PSHOST", "BookBatchWorker" });
            }
            catch (Exception e) when (e is PipelineStoppedException or ActionPreferenceStopException)
            {
                Host.UI.WriteLine($"The worker {worker.Id} stopped.");
                throw;
            }
            finally
            {
                written.TrySetResult(true);
            }
        }

        private string StoreName() =>
            Engine.Stores.WorkspaceStore.StoreOf(CurrentWorkspace) is { } store ? "PostgreSQL store " + store.Connection : "the workspace's files";
    }
}
