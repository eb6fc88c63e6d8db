namespace BookBatch.Engine.Batches
{
    /// <summary>Where a book begun by the batch is in its life.</summary>
    internal enum FlightPhase
    {
        /// <summary>Begun (lease, run folder, ledger) while the book before it runs its last stage; waits for room.</summary>
        Ready,
        /// <summary>Its next stage may start as soon as the stage has a place and its back-off is over.</summary>
        Waiting,
        /// <summary>Waits for its stage's rate window (or "not now") to reopen; takes no room meanwhile.</summary>
        Parked,
        /// <summary>An attempt of its stage runs.</summary>
        Running,
    }
}
