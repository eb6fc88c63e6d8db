using System;
using System.Threading;
using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The connection a <c>store</c> section of bookbatch.json names: opened with the module's settings (keepalives, a
    /// time-out, no pool), its failures told in the module's words, and the schema version it finds.
    /// </summary>
    internal sealed class StoreConnection
    {
        private readonly string _connectionString;
        private readonly string _passwordSource;

        /// <param name="settings">The store's settings.</param>
        /// <param name="password">The password, or null for a pgpass file.</param>
        /// <param name="passwordSource">Where the password came from, for messages.</param>
        /// <param name="pooled">
        /// Whether a closed connection goes back to the driver's pool, for short transactions (the ledger): opening one
        /// costs a login (SCRAM) each time otherwise. Never for a holder's own session, whose locks are its claims.
        /// </param>
        public StoreConnection(PostgresSettings settings, string? password, string passwordSource, bool pooled = false)
        {
            Name = settings.Connection;
            _passwordSource = passwordSource;
            _connectionString = new NpgsqlConnectionStringBuilder
            {
                Host = settings.Host,
                Port = settings.Port,
                Database = settings.Database,
                Username = settings.UserName,
                Password = password,
                ApplicationName = "BookBatch",
                Timeout = 10,
                // A silent network cut is noticed in seconds, not after the system's two hours.
                TcpKeepAlive = true,
                KeepAlive = 10,
                Pooling = pooled,
            }.ConnectionString;
        }

        /// <summary>The connection as messages name it: <c>host:port/database as user</c>.</summary>
        public string Name { get; }

        /// <summary>An open connection; what an operator can fix (unreachable, login refused) is a <see cref="StoreException"/>.</summary>
        public NpgsqlConnection Open(CancellationToken cancellation)
        {
            var connection = new NpgsqlConnection(_connectionString);
            try
            {
                // Opened synchronously unless a caller can stop it: a holder's session is reopened on pool threads, and
                // waiting there for an asynchronous open starved the pool until every worker of a process stood still.
                if (cancellation.CanBeCanceled) connection.OpenAsync(cancellation).GetAwaiter().GetResult();
                else connection.Open();
                return connection;
            }
            catch (Exception e) when (ConnectionFailure.Of(e, Name, _passwordSource) is { } failure)
            {
                connection.Dispose();
                throw failure;
            }
        }

        /// <summary>The schema version the database has: 0 without the BookBatch schema.</summary>
        public static int SchemaVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellation)
        {
            using var command = new NpgsqlCommand(
                "SELECT CASE WHEN to_regclass('bookbatch_schema') IS NULL THEN -1 ELSE 0 END", connection, transaction);
            if ((int)command.ExecuteScalar()! < 0) return 0;
            using var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM bookbatch_schema", connection, transaction);
            cancellation.ThrowIfCancellationRequested();
            return (int)max.ExecuteScalar()!;
        }

        /// <summary>
        /// Returns 0 when the database has this module's schema; none, an older or a newer one is a <see cref="StoreException"/>.
        /// </summary>
        public int RequireLatestSchema(NpgsqlConnection connection)
        {
            var version = SchemaVersion(connection, null, CancellationToken.None);
            if (version == 0) throw new StoreSchemaMissingException(Name);
            if (version < Migration.Latest) throw new StoreSchemaOlderException(Name, version, Migration.Latest);
            if (version > Migration.Latest) throw new StoreSchemaNewerException(Name, version, Migration.Latest);
            return 0;
        }

        /// <summary>Runs a statement that returns no rows, cancelled with <paramref name="cancellation"/>.</summary>
        public static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation,
            params (string Name, object Value)[] parameters)
        {
            using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            using (cancellation.Register(command.Cancel)) command.ExecuteNonQuery();
            cancellation.ThrowIfCancellationRequested();
        }
    }
}
