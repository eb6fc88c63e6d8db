using System;

namespace BookBatch.Engine.Coordination
{
    /// <summary>A worker as its queue lists it, while it lives (<see cref="IWorkQueue.Join"/>). Disposing takes it off the list.</summary>
    public interface IWorkerPresence : IDisposable
    {
        /// <summary>Says what the worker does now; also its heartbeat, so call it at least every few seconds.</summary>
        void Report(WorkerActivity activity, int books, string? batch);
    }
}
