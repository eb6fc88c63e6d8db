using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A workspace whose bookbatch.json names a PostgreSQL store: batches and book commands refuse it clearly, rather than
    /// working on database.json behind the store's back, and write nothing.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class StoreNotWiredTests
    {
        private readonly PostgresServer _server;

        public StoreNotWiredTests(PostgresServer server) => _server = server;

        [Theory]
        [InlineData("'Deep Work' | Invoke-BookBatch -Confirm:$false", "InvokeBookBatchCommand")]
        [InlineData("Add-Book -Title 'Deep Work' -Confirm:$false", "AddBookCommand")]
        [InlineData("Get-BookStatus", "GetBookStatusCommand")]
        public void ABookCommandOnAPostgresWorkspaceIsRefusedAndWritesNothing(string command, string cmdlet)
        {
            using var session = new StoreSession(_server, _server.NewDatabase());
            WithAStage(session);

            var outcome = session.Run(command);

            AssertRefused(outcome, "BookBatchStoreNotSupported,BookBatch.Commands." + cmdlet);
            Assert.Contains("store.kind", outcome.GetProperty("message").GetString());
            Assert.Equal(new[] { "bookbatch.json" }, Directory.GetFileSystemEntries(session.Workspace).Select(Path.GetFileName));
        }

        [Fact]
        public void AMisspeltStoreKindIsNotTakenForTheFiles()
        {
            using var session = new StoreSession(_server, _server.NewDatabase(), kind: "postgress");

            var outcome = session.Run("Get-BookStatus");

            AssertRefused(outcome, "BookBatchSettingsInvalid,BookBatch.Commands.GetBookStatusCommand");
            Assert.Contains("store.kind", outcome.GetProperty("message").GetString());
        }

        [Fact]
        public void AFileStoreWorksAsBefore()
        {
            using var session = new StoreSession(_server, _server.NewDatabase(), kind: "file");

            var outcome = session.Run("Add-Book -Title 'Deep Work' -Confirm:$false");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.True(File.Exists(Path.Combine(session.Workspace, "database.json")));
        }

        // A pipeline of one stage beside the store, so that Invoke-BookBatch gets as far as the books.
        private static void WithAStage(StoreSession session)
        {
            var path = Path.Combine(session.Workspace, "bookbatch.json");
            var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            settings["stages"] = System.Text.Json.Nodes.JsonNode.Parse("[{\"name\": \"search\", \"command\": \"true\"}]");
            File.WriteAllText(path, settings.ToJsonString());
        }

        private static void AssertRefused(JsonElement outcome, string id)
        {
            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal(id, outcome.GetProperty("id").GetString());
        }
    }
}
