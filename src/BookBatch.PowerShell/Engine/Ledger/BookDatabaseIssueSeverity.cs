namespace BookBatch.Engine.Ledger
{
    /// <summary>How much an issue matters.</summary>
    public enum BookDatabaseIssueSeverity
    {
        /// <summary>Worth knowing; batches work.</summary>
        Warning,
        /// <summary>Batches refuse to work (corrupt) or may do the wrong thing (duplicates); run Repair-BookDatabase.</summary>
        Error,
    }
}
