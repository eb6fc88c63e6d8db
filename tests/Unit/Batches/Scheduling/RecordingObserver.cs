using System;
using System.Collections.Concurrent;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Stages;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>Keeps what a batch told its observer that the scheduler's tests read: the waits and the results.</summary>
    internal sealed class RecordingObserver : IBatchObserver
    {
        public ConcurrentQueue<(string Title, BookWait Wait)> Waits { get; } = new();
        public ConcurrentQueue<BookBatchResult> Finished { get; } = new();

        public bool Waited(string title, BookWaitKind kind) => Waits.Any(w => w.Title == title && w.Wait.Kind == kind);

        public void BookStarted(PlannedBook book, string runFolder, string? note) { }
        public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt) { }
        public void BookWaiting(PlannedBook book, BookWait wait) => Waits.Enqueue((book.Book.Title, wait));
        public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome) { }
        public void BookFinished(BookBatchResult result) => Finished.Enqueue(result);
        public void Note(string message) { }
        public void BookError(PlannedBook book, Exception error) { }
        public void Warning(string message) { }
        public void NotificationEnded(NotificationOutcome outcome) { }
    }
}
