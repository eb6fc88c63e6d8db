using System.Collections.Generic;

namespace BookBatch.Engine.Postgres
{
    /// <summary>A PostgreSQL store's schema: the version the database has and the one the module needs.</summary>
    public sealed class StoreSchemaStatus
    {
        /// <summary>Creates the status of one connection.</summary>
        public StoreSchemaStatus(string connection, int version, int latestVersion, IReadOnlyList<int> applied, string encoding)
        {
            Encoding = encoding;
            Connection = connection;
            Version = version;
            LatestVersion = latestVersion;
            Applied = applied;
        }

        /// <summary>The connection, <c>host:port/database as user</c>.</summary>
        public string Connection { get; }
        /// <summary>The schema version of the database (0: no schema yet).</summary>
        public int Version { get; }
        /// <summary>The schema version this module reads and writes.</summary>
        public int LatestVersion { get; }
        /// <summary>The versions this call applied (empty when the schema already was the latest, or nothing was changed).</summary>
        public IReadOnlyList<int> Applied { get; }
        /// <summary>The database's encoding, as PostgreSQL names it (UTF8; see <see cref="StoreEncodingException"/>).</summary>
        public string Encoding { get; }
        /// <summary>True when the database has the schema this module needs.</summary>
        public bool IsCurrent => Version == LatestVersion;
    }
}
