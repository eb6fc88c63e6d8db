using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The BookBatch schema of one PostgreSQL database: its version in <c>bookbatch_schema</c>, and the migrations
    /// (embedded <c>Migrations/NNNN_name.sql</c>) that bring it to <see cref="LatestVersion"/>.
    /// </summary>
    public sealed class PostgresSchema : IPostgresSchema
    {
        // The advisory lock every migrating server takes (transaction-scoped): "BookBatch" in ASCII.
        private const long MigrationLock = 0x426F6F6B4261;

        private readonly PostgresSettings _settings;
        private readonly StoreConnection _connection;

        /// <summary>Creates the schema of the store <paramref name="settings"/> names (PostgresLibrary calls this).</summary>
        public PostgresSchema(PostgresSettings settings, string? password, string passwordSource)
        {
            _settings = settings;
            _connection = new StoreConnection(settings, password, passwordSource);
        }

        /// <inheritdoc />
        public int LatestVersion => Migration.Latest;

        /// <inheritdoc />
        public StoreSchemaStatus Inspect(CancellationToken cancellation)
        {
            using var connection = _connection.Open(cancellation);
            var version = Refuse(StoreConnection.SchemaVersion(connection, null, cancellation));
            return Status(version, Array.Empty<int>(), EncodingOf(connection));
        }

        /// <inheritdoc />
        public StoreSchemaStatus Migrate(CancellationToken cancellation)
        {
            using var connection = _connection.Open(cancellation);
            using var transaction = connection.BeginTransaction();
            StoreConnection.Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellation);
            StoreConnection.Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS bookbatch_schema (version integer PRIMARY KEY, " +
                                             "applied_at timestamptz NOT NULL DEFAULT now(), module_version text NOT NULL)", cancellation);
            var version = Refuse(StoreConnection.SchemaVersion(connection, transaction, cancellation));
            var encoding = EncodingOf(connection);
            // A new schema only in a database that holds every title; a store made before this check is reported by Test-BookDatabase.
            if (version == 0 && !StoreEncodingException.HoldsEveryTitle(encoding)) throw new StoreEncodingException(_settings.Connection, encoding);
            var applied = new List<int>();
            foreach (var migration in Migration.All.Where(m => m.Version > version))
            {
                StoreConnection.Execute(connection, transaction, migration.Script, cancellation);
                using var record = new NpgsqlCommand("INSERT INTO bookbatch_schema (version, module_version) VALUES (@v, @m)", connection, transaction);
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("m", typeof(PostgresSchema).Assembly.GetName().Version?.ToString() ?? "");
                record.ExecuteNonQuery();
                applied.Add(migration.Version);
            }
            transaction.Commit();
            return Status(applied.Count > 0 ? applied[applied.Count - 1] : version, applied, encoding);
        }

        private StoreSchemaStatus Status(int version, IReadOnlyList<int> applied, string encoding) =>
            new(_settings.Connection, version, LatestVersion, applied, encoding);

        private static string EncodingOf(NpgsqlConnection connection)
        {
            using var command = new NpgsqlCommand("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()", connection);
            return (string)command.ExecuteScalar()!;
        }

        // A newer schema is a newer module's: refused before anything is changed.
        private int Refuse(int version) =>
            version > LatestVersion ? throw new StoreSchemaNewerException(_settings.Connection, version, LatestVersion) : version;
    }
}
