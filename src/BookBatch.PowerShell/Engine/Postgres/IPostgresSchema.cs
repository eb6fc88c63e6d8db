using System.Threading;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The schema of a PostgreSQL store, as the module sees it. Implemented in <c>BookBatch.Postgres.dll</c>, the one
    /// assembly that uses Npgsql, which <see cref="PostgresLibrary"/> loads only when a PostgreSQL store is used.
    /// Every member throws a <see cref="StoreException"/> for what an operator can fix (unreachable, login, schema).
    /// </summary>
    public interface IPostgresSchema
    {
        /// <summary>The schema version this module reads and writes.</summary>
        int LatestVersion { get; }

        /// <summary>
        /// The database's schema, changing nothing. Version 0 is an empty database; a schema newer than
        /// <see cref="LatestVersion"/> is a <see cref="StoreSchemaNewerException"/>.
        /// </summary>
        StoreSchemaStatus Inspect(CancellationToken cancellation);

        /// <summary>
        /// Creates the schema or brings it to <see cref="LatestVersion"/>: every missing step in one transaction, under a
        /// lock that makes a second server migrating at the same time wait and then find nothing to do. A newer schema is
        /// refused and left unchanged.
        /// </summary>
        StoreSchemaStatus Migrate(CancellationToken cancellation);
    }
}
