using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Npgsql;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    [Collection(PostgresCollection.Name)]
    public sealed class SchemaTests
    {
        // The advisory lock Update-BookBatchStore takes (BookBatch.Postgres.PostgresSchema).
        private const long MigrationLock = 0x426F6F6B4261;

        private readonly PostgresServer _server;

        public SchemaTests(PostgresServer server) => _server = server;

        [Fact]
        public void UpdateCreatesTheSchemaAndRecordsItsVersion()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal(6, outcome.GetProperty("version").GetInt32());
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, outcome.GetProperty("applied").EnumerateArray().Select(a => a.GetInt32()));
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, Versions(database));
            var tables = Tables(database);
            foreach (var table in new[] { "bookbatch_books", "bookbatch_claims", "bookbatch_workers", "bookbatch_stage_places",
                                          "bookbatch_rate_starts", "bookbatch_attempts", "bookbatch_journals", "bookbatch_queue", "bookbatch_ledger_keys", "bookbatch_rate_blocks" })
                Assert.Contains(table, tables);
        }

        [Fact]
        public void UpdateOfACurrentSchemaChangesNothing()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);
            session.Run("Update-BookBatchStore -Confirm:$false");
            var tables = Tables(database);

            var again = session.Run("Update-BookBatchStore -Confirm:$false");

            Assert.True(again.GetProperty("ok").GetBoolean(), again.ToString());
            Assert.Empty(again.GetProperty("applied").EnumerateArray());
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, Versions(database));
            Assert.Equal(tables, Tables(database));
        }

        [Fact]
        public void WhatIfCreatesNothing()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);

            session.Run("Update-BookBatchStore -WhatIf");

            Assert.Empty(Tables(database));
        }

        [Fact]
        public void ANewerSchemaIsRefusedAndLeftUnchanged()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);
            session.Run("Update-BookBatchStore -Confirm:$false");
            Execute(database, "INSERT INTO bookbatch_schema (version, module_version) VALUES (7, '9.0.0'); DROP TABLE bookbatch_journals");
            var tables = Tables(database);

            foreach (var command in new[] { "Update-BookBatchStore -Confirm:$false", "Get-BookBatchStore" })
            {
                var outcome = session.Run(command);
                Assert.False(outcome.GetProperty("ok").GetBoolean(), command);
                Assert.Equal("BookBatchStoreSchemaNewer,BookBatch.Commands." + (command.StartsWith("Update") ? "UpdateBookBatchStoreCommand" : "GetBookBatchStoreCommand"),
                    outcome.GetProperty("id").GetString());
                Assert.Contains("version 7", outcome.GetProperty("message").GetString());
            }
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7 }, Versions(database));
            Assert.Equal(tables, Tables(database));
        }

        [Fact]
        public void TwoServersMigratingAtOnceEndWithOneSchema()
        {
            var database = _server.NewDatabase();
            using var first = new StoreSession(_server, database);
            using var second = new StoreSession(_server, database);
            // The test holds the migration lock until both commands wait for it: then they truly run at the same time.
            using var holder = new NpgsqlConnection(_server.ConnectionString(database));
            holder.Open();
            Execute(holder, $"SELECT pg_advisory_lock({MigrationLock})");
            var processes = new[] { first.Start("Update-BookBatchStore -Confirm:$false"), second.Start("Update-BookBatchStore -Confirm:$false") };
            var waited = SpinWait.SpinUntil(() => WaitingForLock(database) == 2, 60_000);
            Execute(holder, $"SELECT pg_advisory_unlock({MigrationLock})");
            var outcomes = processes.Select(StoreSession.Read).ToList();

            Assert.True(waited, "both migrations waited for the lock");
            Assert.All(outcomes, o => Assert.True(o.GetProperty("ok").GetBoolean(), o.ToString()));
            Assert.Equal(new[] { 0, 6 }, outcomes.Select(o => o.GetProperty("applied").GetArrayLength()).OrderBy(n => n));
            Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, Versions(database));
        }

        [Fact]
        public void GetBookBatchStoreShowsTheVersion()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);
            session.Run("Update-BookBatchStore -Confirm:$false");

            var outcome = session.Run("Get-BookBatchStore");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal(6, outcome.GetProperty("version").GetInt32());
            Assert.Equal(6, outcome.GetProperty("latest").GetInt32());
        }

        private int WaitingForLock(string database)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", connection);
            return (int)(long)command.ExecuteScalar()!;
        }

        private List<int> Versions(string database) =>
            Query(database, "SELECT version FROM bookbatch_schema ORDER BY version", r => r.GetInt32(0));

        private List<string> Tables(string database) =>
            Query(database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", r => r.GetString(0));

        private List<T> Query<T>(string database, string sql, System.Func<NpgsqlDataReader, T> read)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }

        private void Execute(string database, string sql)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            Execute(connection, sql);
        }

        private static void Execute(NpgsqlConnection connection, string sql)
        {
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
    }
}
