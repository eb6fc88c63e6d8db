namespace BookBatch.Engine.Ledger
{
    /// <summary>What kind of problem <c>Test-BookDatabase</c> found.</summary>
    public enum BookDatabaseIssueKind
    {
        /// <summary>The file is not valid JSON or not the old system's schema.</summary>
        Corrupt,
        /// <summary>The same book is recorded more than once.</summary>
        Duplicate,
        /// <summary>A run folder name that is not a plain folder name under <c>runs/</c>.</summary>
        UnsafeRunFolder,
        /// <summary>A status other than "done", "processing" or null.</summary>
        UnknownStatus,
        /// <summary>A book's run folder does not exist (the next batch starts a new one).</summary>
        MissingRunFolder,
        /// <summary>A done book without a YouTube URL.</summary>
        DoneWithoutUrl,
        /// <summary><c>database.json.bak</c> cannot be read, so there is no good copy to restore.</summary>
        BackupUnreadable,
        /// <summary>A PostgreSQL store's database is encoded in a character set that cannot hold every title.</summary>
        StoreEncoding,
    }
}
