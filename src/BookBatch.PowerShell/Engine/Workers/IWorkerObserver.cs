using System;
using System.Collections.Generic;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;

namespace BookBatch.Engine.Workers
{
    /// <summary>
    /// What a worker tells its caller besides what each of its batches tells (<see cref="IBatchObserver"/>). Calls come
    /// from worker threads: an implementation only hands the message on.
    /// </summary>
    public interface IWorkerObserver : IBatchObserver
    {
        /// <summary>A round began: a batch of the books owed now (<paramref name="plan"/>), journaled as any batch.</summary>
        void RoundStarted(BatchPlan plan);

        /// <summary>A round ended with these results.</summary>
        void RoundEnded(string batchId, IReadOnlyList<BookBatchResult> results);

        /// <summary>The worker waits: no book is owed (Idle) or the queue is paused (Paused); told once per change.</summary>
        void Waiting(WorkerActivity why);

        /// <summary>The worker was told to stop: it starts nothing more, and its running stages have <paramref name="grace"/> to end.</summary>
        void Draining(TimeSpan grace);

        /// <summary>A round or a look at the queue failed (the store unreachable, the ledger unreadable); it tries again after <paramref name="retryIn"/>.</summary>
        void Failed(Exception error, TimeSpan retryIn);
    }
}
