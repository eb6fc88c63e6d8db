namespace BookBatch.Engine.Stores
{
    /// <summary>A workspace's database.json moved into its PostgreSQL store (Import-BookBatchStore); the file stays as it was.</summary>
    public sealed class StoreImportResult
    {
        /// <summary>Creates the result of one import.</summary>
        public StoreImportResult(string connection, string source, int books, long replaced, int rateStarts)
        {
            Connection = connection;
            Source = source;
            Books = books;
            Replaced = replaced;
            RateStarts = rateStarts;
        }

        /// <summary>The store, <c>host:port/database as user</c> (never the password).</summary>
        public string Connection { get; }
        /// <summary>The database.json the books were read from, left in place.</summary>
        public string Source { get; }
        /// <summary>The books written into the store.</summary>
        public int Books { get; }
        /// <summary>The books the store held before and no longer holds (0 when it was empty; more only with -Force).</summary>
        public long Replaced { get; }
        /// <summary>The stages' rate-window starts (batches/limits/) added to the store's, so that a quota holds across the move.</summary>
        public int RateStarts { get; }
    }
}
