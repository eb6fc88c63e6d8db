using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Runs a planned batch: books in input order, <see cref="BatchOptions.Delay"/> apart, each book's owed stages
    /// in pipeline order. Every result goes to the observer and the journal as the book finishes. Cancellation
    /// stops the running stage's process tree, records the remaining books as skipped ("interrupted") and still
    /// writes the end of the journal.
    /// </summary>
    public sealed class BatchRunner
    {
        private readonly BatchContext _context;
        private readonly BatchPlan _plan;

        /// <summary>Prepares a batch; <paramref name="runners"/> gives the runner for each stage kind.</summary>
        public BatchRunner(Workspace workspace, PipelineSettings settings, BatchOptions options, BatchPlan plan,
            Func<StageSettings, IStageRunner> runners, IBatchObserver observer, BatchJournal journal)
        {
            _plan = plan;
            _context = new BatchContext(workspace, settings, options, plan.Id, runners, observer, journal);
        }

        /// <summary>Runs the batch to its end (or until cancelled) and returns every book's result, in input order.</summary>
        public async Task<IReadOnlyList<BookBatchResult>> RunAsync(CancellationToken cancellation)
        {
            var journal = _context.Journal;
            journal.Write("start", w =>
            {
                w.WriteString("batch", _plan.Id);
                w.WriteString("workspace", _context.Workspace.Root);
                w.WriteString("host", Environment.MachineName);
                w.WriteNumber("pid", System.Diagnostics.Process.GetCurrentProcess().Id);
                w.WriteNumber("books", _plan.Books.Count);
                w.WriteString("privacy", _context.Options.Privacy);
                w.WriteBoolean("force", _context.Options.Force);
            });
            foreach (var book in _plan.Books)
                journal.Write("plan", w =>
                {
                    w.WriteNumber("index", book.Index);
                    w.WriteString("book", book.Book.ToString());
                    w.WriteString("action", book.Action.ToString());
                });

            var results = new List<BookBatchResult>();
            var startedOne = false;
            foreach (var book in _plan.Books)
            {
                var job = new BookJob(_context, book);
                BookBatchResult result;
                if (!book.IsWork) result = job.Result(BookOutcome.Skipped, book.Reason, null);
                else if (_context.Options.Declined.Contains(book.Index)) result = job.Result(BookOutcome.Skipped, "declined at the confirmation", null);
                else if (cancellation.IsCancellationRequested) result = job.Result(BookOutcome.Skipped, "interrupted", null);
                else
                {
                    if (startedOne && !await Pause(_context.Options.Delay, cancellation).ConfigureAwait(false))
                        result = job.Result(BookOutcome.Skipped, "interrupted", null);
                    else
                    {
                        startedOne = true;
                        result = await RunBookAsync(job, cancellation).ConfigureAwait(false);
                    }
                }
                results.Add(result);
                journal.Result(result);
                _context.Observer.BookFinished(result);
            }

            journal.Write("end", w =>
            {
                w.WriteBoolean("interrupted", cancellation.IsCancellationRequested);
                w.WriteNumber("total", results.Count);
                foreach (BookOutcome outcome in Enum.GetValues(typeof(BookOutcome)))
                    w.WriteNumber(outcome.ToString().ToLowerInvariant(), results.FindAll(r => r.Outcome == outcome).Count);
            });
            return results;
        }

        private async Task<BookBatchResult> RunBookAsync(BookJob job, CancellationToken cancellation)
        {
            var early = job.Begin();
            if (early != null) return early;
            using var bookTimeout = new CancellationTokenSource(_context.Options.BookTimeout);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, bookTimeout.Token);
            var number = 0;
            foreach (var stage in _context.Settings.Stages)
            {
                number++;
                if (job.Folder!.Succeeded(stage.Name)) continue;
                var outcome = await job.RunStageAsync(stage, number, either.Token).ConfigureAwait(false);
                if (outcome.Result == StageResult.Succeeded) continue;
                var interrupted = cancellation.IsCancellationRequested;
                var timedOut = !interrupted && bookTimeout.IsCancellationRequested;
                return job.Finish(outcome, stage.Name, interrupted, timedOut);
            }
            return job.Finish(null, null, interrupted: false, timedOut: false);
        }

        private static async Task<bool> Pause(TimeSpan delay, CancellationToken cancellation)
        {
            if (delay <= TimeSpan.Zero) return !cancellation.IsCancellationRequested;
            try
            {
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }
}
