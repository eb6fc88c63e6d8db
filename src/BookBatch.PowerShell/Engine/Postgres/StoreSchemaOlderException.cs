namespace BookBatch.Engine.Postgres
{
    /// <summary>The PostgreSQL database has an older BookBatch schema than this module reads and writes.</summary>
    public sealed class StoreSchemaOlderException : StoreException
    {
        /// <summary>Creates the error of a connection, its schema version and the module's.</summary>
        public StoreSchemaOlderException(string connection, int version, int latest)
            : base(connection, $"The PostgreSQL store {connection} has the BookBatch schema version {version}; this module needs version {latest}. " +
                               "Bring it up to date with Update-BookBatchStore, then try again.", null) { }
    }
}
