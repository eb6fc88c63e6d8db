using System;
using System.Collections.Generic;
using System.IO;
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

        private static readonly IReadOnlyList<Migration> Migrations = Migration.Embedded();

        private readonly PostgresSettings _settings;
        private readonly string _connectionString;
        private readonly string _passwordSource;

        /// <summary>Creates the schema of the store <paramref name="settings"/> names (PostgresLibrary calls this).</summary>
        public PostgresSchema(PostgresSettings settings, string? password, string passwordSource)
        {
            _settings = settings;
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
                Pooling = false,
            }.ConnectionString;
        }

        /// <inheritdoc />
        public int LatestVersion => Migrations[Migrations.Count - 1].Version;

        /// <inheritdoc />
        public StoreSchemaStatus Inspect(CancellationToken cancellation)
        {
            using var connection = Open(cancellation);
            var version = Refuse(ReadVersion(connection, null, cancellation));
            return Status(version, Array.Empty<int>());
        }

        /// <inheritdoc />
        public StoreSchemaStatus Migrate(CancellationToken cancellation)
        {
            using var connection = Open(cancellation);
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellation);
            Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS bookbatch_schema (version integer PRIMARY KEY, " +
                                             "applied_at timestamptz NOT NULL DEFAULT now(), module_version text NOT NULL)", cancellation);
            var version = Refuse(ReadVersion(connection, transaction, cancellation));
            var applied = new List<int>();
            foreach (var migration in Migrations.Where(m => m.Version > version))
            {
                Execute(connection, transaction, migration.Script, cancellation);
                using var record = new NpgsqlCommand("INSERT INTO bookbatch_schema (version, module_version) VALUES (@v, @m)", connection, transaction);
                record.Parameters.AddWithValue("v", migration.Version);
                record.Parameters.AddWithValue("m", typeof(PostgresSchema).Assembly.GetName().Version?.ToString() ?? "");
                record.ExecuteNonQuery();
                applied.Add(migration.Version);
            }
            transaction.Commit();
            return Status(applied.Count > 0 ? applied[applied.Count - 1] : version, applied);
        }

        private StoreSchemaStatus Status(int version, IReadOnlyList<int> applied) =>
            new(_settings.Connection, version, LatestVersion, applied);

        // A newer schema is a newer module's: refused before anything is changed.
        private int Refuse(int version) =>
            version > LatestVersion ? throw new StoreSchemaNewerException(_settings.Connection, version, LatestVersion) : version;

        private static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellation)
        {
            using var command = new NpgsqlCommand(
                "SELECT CASE WHEN to_regclass('bookbatch_schema') IS NULL THEN -1 ELSE 0 END", connection, transaction);
            if ((int)command.ExecuteScalar()! < 0) return 0;
            using var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM bookbatch_schema", connection, transaction);
            cancellation.ThrowIfCancellationRequested();
            return (int)max.ExecuteScalar()!;
        }

        private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellation)
        {
            using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            using (cancellation.Register(command.Cancel)) command.ExecuteNonQuery();
            cancellation.ThrowIfCancellationRequested();
        }

        private NpgsqlConnection Open(CancellationToken cancellation)
        {
            var connection = new NpgsqlConnection(_connectionString);
            try
            {
                connection.OpenAsync(cancellation).GetAwaiter().GetResult();
                return connection;
            }
            catch (Exception e) when (ConnectionFailure.Of(e, _settings.Connection, _passwordSource) is { } failure)
            {
                connection.Dispose();
                throw failure;
            }
        }
    }
}
