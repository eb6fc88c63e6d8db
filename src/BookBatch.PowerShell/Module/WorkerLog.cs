using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Notifications;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workers;

namespace BookBatch.Module
{
    /// <summary>
    /// A worker's observer for Start-BookBatchWorker: each book's result to the pipeline as it finishes (a Failed one
    /// also as an error; a book another worker took first only as a verbose line: it is that worker's), and one timestamped line for everything it does — rounds, stages, waits, a drain — as host
    /// information (tags PSHOST and BookBatchWorker), which a console shows and a service's log (stdout) keeps.
    /// </summary>
    internal sealed class WorkerLog : IWorkerObserver
    {
        private const string Tag = "BookBatchWorker";
        private readonly PipelinePump _pump;
        private readonly Engine.Workspaces.Workspace _workspace;
        private readonly TimeSpan _poll;

        public WorkerLog(PipelinePump pump, Engine.Workspaces.Workspace workspace, TimeSpan poll)
        {
            _pump = pump;
            _workspace = workspace;
            _poll = poll;
        }

        /// <summary>Writes one timestamped line (any thread).</summary>
        public void Line(string text)
        {
            var line = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "  " + text;
            _pump.Post(c => c.WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST", Tag }));
        }

        public void RoundStarted(BatchPlan plan) =>
            Line($"batch {plan.Id}: {plan.Books.Count} book(s) owed: {string.Join(", ", plan.Books.Take(5).Select(b => b.Book.ToString()))}{(plan.Books.Count > 5 ? ", ..." : "")}");

        public void RoundEnded(string batchId, IReadOnlyList<BookBatchResult> results)
        {
            var elsewhere = results.Count(r => r.HeldElsewhere);
            Line(string.Format(CultureInfo.InvariantCulture, "batch {0} ended: {1} done, {2} failed, {3} skipped", batchId,
                results.Count(r => r.Outcome is BookOutcome.Success or BookOutcome.Resumed), results.Count(r => r.Outcome == BookOutcome.Failed),
                results.Count(r => r.Outcome == BookOutcome.Skipped && !r.HeldElsewhere)) + (elsewhere > 0 ? $", {elsewhere} taken by other batches first" : ""));
        }

        public void Waiting(WorkerActivity why) => Line(why == WorkerActivity.Paused
            ? $"the queue is paused (Resume-BookBatchQueue lets it go on): waiting, looking again every {_poll.TotalSeconds:0.#} s"
            : $"no book is owed: waiting, looking again every {_poll.TotalSeconds:0.#} s");

        public void Draining(TimeSpan grace) =>
            Line($"stopping: no book or stage starts any more; running stages have {grace.TotalSeconds:0.#} s to end, then they are ended and recorded as interrupted");

        public void Failed(Exception error, TimeSpan retryIn)
        {
            Line($"could not go on: {error.Message} Trying again in {retryIn.TotalSeconds:0} s.");
            _pump.Post(c => c.WriteWarning($"The worker could not go on: {error.Message} It tries again in {retryIn.TotalSeconds:0} s."));
        }

        public void BookStarted(PlannedBook book, string runFolder, string? note) => Line($"'{book.Book}': started in {runFolder}" + (note is null ? "" : $" ({note})"));

        public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt) =>
            Line($"'{book.Book}': stage {stageNumber}/{stageCount} '{stage}' started (attempt {attempt})");

        public void BookWaiting(PlannedBook book, BookWait wait) => _pump.Post(c => c.WriteVerbose($"'{book.Book}': {wait}"));

        public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome) =>
            Line($"'{book.Book}': stage '{stage}' attempt {attempt}: {outcome.Result}" + (outcome.Error is null ? "" : $" ({outcome.Error})"));

        public void BookFinished(BookBatchResult result)
        {
            if (result.HeldElsewhere)
            {
                _pump.Post(c => c.WriteVerbose($"'{result.Book}': {result.Details}"));
                return;
            }
            Line($"'{result.Book}': {result.Outcome}" + (result.Details is { } details ? $" ({details})" : ""));
            _pump.Post(c => c.WriteObject(result));
            if (result.Outcome == BookOutcome.Failed) _pump.Post(c => c.WriteError(BookFailure.Record(result, _workspace)));
        }

        public void BookError(PlannedBook book, Exception error) => _pump.Post(c => c.WriteError(Errors.From(error, book.Book.ToString())));

        public void Warning(string message) => _pump.Post(c => c.WriteWarning(message));

        public void Note(string message) => _pump.Post(c => c.WriteVerbose(message));

        public void NotificationEnded(NotificationOutcome outcome) => Line(outcome.ToString());
    }
}
