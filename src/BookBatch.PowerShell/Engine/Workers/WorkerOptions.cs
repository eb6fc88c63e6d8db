using System;

namespace BookBatch.Engine.Workers
{
    /// <summary>How a worker runs (Start-BookBatchWorker's parameters).</summary>
    public sealed class WorkerOptions
    {
        /// <summary>How often a worker with nothing to do, or a paused queue, looks again.</summary>
        public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>After a stop (Ctrl+C, SIGTERM, a stopped service): how long running stages may take to end by themselves before they are ended and recorded as interrupted.</summary>
        public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>Ends once no book is owed, instead of waiting for more (a scheduled run, a test).</summary>
        public bool StopWhenIdle { get; set; }
    }
}
