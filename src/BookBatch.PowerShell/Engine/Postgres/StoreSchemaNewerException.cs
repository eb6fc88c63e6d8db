namespace BookBatch.Engine.Postgres
{
    /// <summary>The PostgreSQL database has a schema newer than this module knows: refused, never changed.</summary>
    public sealed class StoreSchemaNewerException : StoreException
    {
        /// <summary>Creates the error of a connection, its schema version and the module's.</summary>
        public StoreSchemaNewerException(string connection, int version, int latestVersion)
            : base(connection, $"The PostgreSQL store {connection} has BookBatch schema version {version}, newer than this module's " +
                               $"{latestVersion}: a newer BookBatch uses it. Update the BookBatch module on this server (Update-Module BookBatch), then try again. " +
                               "The database was not changed.", null)
        {
            Version = version;
            LatestVersion = latestVersion;
        }

        /// <summary>The database's schema version.</summary>
        public int Version { get; }
        /// <summary>The module's schema version.</summary>
        public int LatestVersion { get; }
    }
}
