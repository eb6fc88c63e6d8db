namespace BookBatch.Engine.Postgres
{
    /// <summary>The PostgreSQL database has no BookBatch schema yet.</summary>
    public sealed class StoreSchemaMissingException : StoreException
    {
        /// <summary>Creates the error of a connection.</summary>
        public StoreSchemaMissingException(string connection)
            : base(connection, $"The PostgreSQL store {connection} has no BookBatch schema yet. Create it with Update-BookBatchStore, then try again.", null) { }
    }
}
