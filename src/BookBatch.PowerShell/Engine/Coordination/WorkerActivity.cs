namespace BookBatch.Engine.Coordination
{
    /// <summary>What a worker does, as the worker list shows it.</summary>
    public enum WorkerActivity : long
    {
        /// <summary>Looking for books, or waiting for some to be owed.</summary>
        Idle,
        /// <summary>Working on books.</summary>
        Working,
        /// <summary>The queue is paused: it starts nothing.</summary>
        Paused,
        /// <summary>Told to stop: it starts nothing more and lets its running stages end.</summary>
        Draining,
    }
}
