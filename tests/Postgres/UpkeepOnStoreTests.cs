using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using BookBatch.Engine.Postgres;
using Npgsql;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Test-BookDatabase and Repair-BookDatabase on a PostgreSQL store, and the database's encoding: a store is checked
    /// as the file store is (its books), a repair finds nothing to do, and a database that cannot hold every title is
    /// refused before the schema is made.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class UpkeepOnStoreTests
    {
        // A done book without its URL and a book of a status BookBatch does not know, beside a sound one.
        private const string Ledger = "{\n  \"books\": [\n" +
            "    {\n      \"main_title\": \"Sound\",\n      \"author_name\": null,\n      \"status\": \"processing\"\n    },\n" +
            "    {\n      \"main_title\": \"No Url\",\n      \"author_name\": null,\n      \"status\": \"done\"\n    },\n" +
            "    {\n      \"main_title\": \"Queued\",\n      \"author_name\": null,\n      \"status\": \"queued\"\n    }\n  ]\n}\n";

        private readonly PostgresServer _server;

        public UpkeepOnStoreTests(PostgresServer server) => _server = server;

        [Fact]
        public void TestBookDatabaseChecksTheStoresBooksAndRepairFindsNothingToDo()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);
            Assert.True(session.Run("Update-BookBatchStore -Confirm:$false").GetProperty("ok").GetBoolean());
            File.WriteAllText(session.PathOf("database.json"), Ledger, new UTF8Encoding(false));
            Assert.True(session.Run("Import-BookBatchStore").GetProperty("ok").GetBoolean());
            File.Delete(session.PathOf("database.json"));

            var report = session.Run("Test-BookDatabase").GetProperty("result");
            var issues = session.Run("(Test-BookDatabase).Issues | ForEach-Object { \"$($_.Kind):$($_.Book)\" } | Sort-Object | Join-String -Separator ','");
            var repair = session.Run("Repair-BookDatabase -Confirm:$false").GetProperty("result");

            var connection = $"127.0.0.1:{_server.Port}/{database} as {PostgresServer.UserName}";
            Assert.Equal(connection, report.GetProperty("Path").GetString());
            Assert.Equal(3, report.GetProperty("Books").GetInt32());
            Assert.True(report.GetProperty("IsHealthy").GetBoolean()); // warnings only
            Assert.Equal("DoneWithoutUrl:No Url,UnknownStatus:Queued", issues.GetProperty("result").GetString());
            Assert.Contains(connection, repair.GetProperty("Message").GetString());
            Assert.Contains("needs no repair", repair.GetProperty("Message").GetString());
            Assert.False(File.Exists(session.PathOf("database.json"))); // the store's commands write no database.json
        }

        [Fact]
        public void ADatabaseThatCannotHoldEveryTitleIsRefusedBeforeTheSchemaIsMade()
        {
            var database = "bookbatch_latin1_" + System.Guid.NewGuid().ToString("N")[..6];
            using (var admin = new NpgsqlConnection(_server.ConnectionString()))
            {
                admin.Open();
                using var create = new NpgsqlCommand($"CREATE DATABASE {database} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", admin);
                create.ExecuteNonQuery();
            }
            using var session = new StoreSession(_server, database);

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false");

            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal("BookBatchStoreEncoding,BookBatch.Commands.UpdateBookBatchStoreCommand", outcome.GetProperty("id").GetString());
            Assert.Equal("InvalidData", outcome.GetProperty("category").GetString());
            Assert.Contains("LATIN1", outcome.GetProperty("message").GetString());
            Assert.Contains("ENCODING 'UTF8'", outcome.GetProperty("message").GetString());
            using var check = new NpgsqlConnection(_server.ConnectionString(database));
            check.Open();
            using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'bookbatch%'", check);
            Assert.Equal(0L, (long)tables.ExecuteScalar()!);
        }
    }
}
