namespace BookBatch.Engine.Postgres
{
    /// <summary>A workspace's ledger was to be moved into a PostgreSQL store that already holds books.</summary>
    public sealed class StoreNotEmptyException : StoreException
    {
        /// <summary>Creates the error of a connection and the books it holds.</summary>
        public StoreNotEmptyException(string connection, long books)
            : base(connection, $"The PostgreSQL store {connection} already holds {books} books: nothing was written. " +
                               "If they matter, write them out first (Export-BookBatchStore -Path <file>); then run the import again with -Force to replace them.", null) { }
    }
}
