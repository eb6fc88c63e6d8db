using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// The workspace's queue as its workers share it: paused or running for all of them at once, and who works it now
    /// (docs/DECISIONS.md, "Workers"). Each store keeps it where it keeps its holds: the file store in the workspace's
    /// <c>batches/</c>, a PostgreSQL store in its tables, so that workers on several servers see one queue.
    /// </summary>
    public interface IWorkQueue
    {
        /// <summary>Since when the queue is paused; null while it runs.</summary>
        DateTimeOffset? PausedSince();

        /// <summary>Pauses the queue for every worker: none starts a book until it is resumed. False when it was paused already.</summary>
        bool Pause();

        /// <summary>Lets every worker take books again. False when it was not paused.</summary>
        bool Resume();

        /// <summary>
        /// Records this process as a worker of the queue until the presence is disposed (or the process dies): listed by
        /// <see cref="Workers"/> with what it last reported.
        /// </summary>
        IWorkerPresence Join(string workerId);

        /// <summary>The workers alive now, with what each last reported; read without waiting on any of them.</summary>
        IReadOnlyList<WorkerStatus> Workers();
    }
}
