using System;

namespace BookBatch.Engine.Workers
{
    /// <summary>The queue of a workspace as Suspend- and Resume-BookBatchQueue -PassThru show it.</summary>
    public sealed class BookBatchQueueState
    {
        /// <summary>Creates the state of <paramref name="workspace"/>'s queue.</summary>
        public BookBatchQueueState(string workspace, DateTimeOffset? pausedSince, int workers)
        {
            Workspace = workspace;
            PausedSince = pausedSince;
            Workers = workers;
        }

        /// <summary>The workspace folder.</summary>
        public string Workspace { get; }
        /// <summary>True while no worker starts a book.</summary>
        public bool Paused => PausedSince != null;
        /// <summary>Since when it is paused; null while it runs.</summary>
        public DateTimeOffset? PausedSince { get; }
        /// <summary>How many workers are alive now.</summary>
        public int Workers { get; }
    }
}
