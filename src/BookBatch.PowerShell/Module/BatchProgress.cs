using System;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Stages;

namespace BookBatch.Module
{
    /// <summary>
    /// The batch's observer for the cmdlet: every event becomes a message on the pump. Progress is nested: the
    /// batch (the book started last, and the share of books done), and under it each book's current stage.
    /// </summary>
    internal sealed class BatchProgress : IBatchObserver
    {
        private const int BatchActivityId = 1;
        private readonly PipelinePump _pump;
        private readonly int _workBooks;
        private int _startedWork;
        private int _finishedWork;

        public BatchProgress(PipelinePump pump, int workBooks)
        {
            _pump = pump;
            _workBooks = Math.Max(workBooks, 1);
        }

        private static int BookActivityId(PlannedBook book) => BatchActivityId + book.Index;

        public void BookStarted(PlannedBook book, string runFolder, string? note)
        {
            // The book's place among the books started (a book may start before the previous one is reported).
            var number = System.Threading.Interlocked.Increment(ref _startedWork);
            var done = System.Threading.Volatile.Read(ref _finishedWork);
            _pump.Post(c => c.WriteProgress(new ProgressRecord(BatchActivityId, "Invoke-BookBatch",
                $"Book {number} of {_workBooks}: {book.Book}") { PercentComplete = done * 100 / _workBooks }));
            _pump.Post(c => c.WriteVerbose($"'{book.Book}': {(book.Action == Engine.Planning.BookAction.Resume ? "resuming" : "processing")} in {runFolder}"));
        }

        public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt)
        {
            var status = attempt > 1 ? $"Stage {stageNumber} of {stageCount}: {stage} (attempt {attempt})" : $"Stage {stageNumber} of {stageCount}: {stage}";
            _pump.Post(c => c.WriteProgress(new ProgressRecord(BookActivityId(book), book.Book.ToString(), status)
            {
                ParentActivityId = BatchActivityId,
                PercentComplete = (stageNumber - 1) * 100 / Math.Max(stageCount, 1),
            }));
        }

        public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome)
        {
            if (outcome.Result == StageResult.Succeeded) return;
            _pump.Post(c => c.WriteVerbose($"'{book.Book}': stage '{stage}' attempt {attempt}: {outcome.Result} ({outcome.Error})"));
        }

        public void BookFinished(BookBatchResult result)
        {
            if (result.StagesRun.Count > 0 || result.Outcome != BookOutcome.Skipped)
            {
                System.Threading.Interlocked.Increment(ref _finishedWork);
                var id = BatchActivityId + result.Index;
                _pump.Post(c => c.WriteProgress(new ProgressRecord(id, result.Book, "Finished") { ParentActivityId = BatchActivityId, RecordType = ProgressRecordType.Completed }));
            }
            _pump.Post(c => c.WriteObject(result));
        }

        public void Note(string message) => _pump.Post(c => c.WriteVerbose(message));

        // A notification that was not sent is the operator's to know of; the batch itself is not affected.
        public void NotificationEnded(Engine.Notifications.NotificationOutcome outcome) => _pump.Post(c =>
        {
            if (outcome.Result == Engine.Notifications.NotificationResult.Sent) c.WriteVerbose(outcome.ToString());
            else c.WriteWarning(outcome.ToString());
        });

        /// <summary>Ends the batch's progress bar; always sent, so no bar is left on screen.</summary>
        public void Complete() => _pump.Post(c => c.WriteProgress(new ProgressRecord(BatchActivityId, "Invoke-BookBatch", "Done") { RecordType = ProgressRecordType.Completed }));
    }
}
