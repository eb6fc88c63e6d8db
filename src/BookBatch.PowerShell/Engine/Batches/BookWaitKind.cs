namespace BookBatch.Engine.Batches
{
    /// <summary>What a book of a running batch waits for.</summary>
    public enum BookWaitKind
    {
        /// <summary>A place of its stage (the stage's concurrency is taken, here or by other batches).</summary>
        Place,
        /// <summary>Its stage's rate window or "not now", until <see cref="BookWait.Until"/>.</summary>
        Quota,
        /// <summary>The back-off before a retry of its stage, until <see cref="BookWait.Until"/>.</summary>
        Retry,
        /// <summary>Room in the batch's throttle (-ThrottleLimit).</summary>
        Room,
        /// <summary>Its start: the delay between two books (-DelaySeconds), until <see cref="BookWait.Until"/>.</summary>
        Delay,
    }
}
