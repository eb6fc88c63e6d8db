using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// What a running batch tells its caller. Calls come from worker threads: an implementation must only hand the
    /// message on (the cmdlet queues it for the pipeline thread), never block or call PowerShell.
    /// </summary>
    public interface IBatchObserver
    {
        /// <summary>A book was started (its run folder is ready).</summary>
        void BookStarted(PlannedBook book, string runFolder, string? note);
        /// <summary>An attempt of a stage started.</summary>
        void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt);
        /// <summary>A book waits (for a stage's place or quota, a retry, room, or its start); told again only when that changes.</summary>
        void BookWaiting(PlannedBook book, BookWait wait);
        /// <summary>An attempt of a stage ended.</summary>
        void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome);
        /// <summary>A book is finished with; its result is final.</summary>
        void BookFinished(BookBatchResult result);
        /// <summary>
        /// A book could not be worked on for a reason of its own (its run folder cannot be read or written): an error of
        /// that book alone, reported besides its Failed result; the batch goes on.
        /// </summary>
        void BookError(PlannedBook book, System.Exception error);
        /// <summary>Something the operator should know before trusting the result (a warning).</summary>
        void Warning(string message);
        /// <summary>Something worth a verbose line.</summary>
        void Note(string message);
        /// <summary>A notification of the batch's end was sent, or was not (after the journal's end).</summary>
        void NotificationEnded(NotificationOutcome outcome);
    }
}
