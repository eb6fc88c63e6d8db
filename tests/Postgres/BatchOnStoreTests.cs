using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A workspace whose bookbatch.json names a PostgreSQL store: the book commands and batches work on the store, as an
    /// operator types them in real pwsh processes, and never write database.json; two batches side by side on one store
    /// run each book once.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class BatchOnStoreTests
    {
        private readonly PostgresServer _server;

        public BatchOnStoreTests(PostgresServer server) => _server = server;

        [Fact]
        public void BooksAreAddedChangedAndListedInTheStoreAndNoDatabaseFileIsWritten()
        {
            using var session = ReadySession(stageSeconds: 0);

            Ok(session.Run("Add-Book -Title 'Deep Work' -Author 'Cal Newport' -Confirm:$false"));
            Ok(session.Run("Complete-Book -Title 'Deep Work' -YouTubeUrl 'https://www.youtube.com/watch?v=abcdefghijk' -Confirm:$false"));
            var listed = Ok(session.Run("Get-BookStatus | Select-Object Title, Status, YouTubeUrl"));

            Assert.Equal("Deep Work", listed.GetProperty("Title").GetString());
            Assert.Equal("done", listed.GetProperty("Status").GetString()!.ToLowerInvariant());
            Assert.Equal("https://www.youtube.com/watch?v=abcdefghijk", listed.GetProperty("YouTubeUrl").GetString());
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void ABatchRunsItsBooksOnTheStore()
        {
            using var session = ReadySession(stageSeconds: 0);

            var results = Ok(session.Run("'First Book', 'Second Book' | Invoke-BookBatch -Confirm:$false | Select-Object Title, Outcome"));
            var statuses = Ok(session.Run("Get-BookStatus | ForEach-Object { \"$($_.Title)=$($_.Status)\" } | Join-String -Separator ';'"));

            Assert.Equal(new[] { "Success", "Success" }, results.EnumerateArray().Select(r => r.GetProperty("Outcome").ToString()));
            Assert.Equal("First Book=Done;Second Book=Done", statuses.GetString());
            Assert.Equal(new[] { "First Book", "Second Book" }, Runs(session).OrderBy(t => t));
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void TwoBatchesSideBySideWithTheSameListRunEachBookOnce()
        {
            using var session = ReadySession(stageSeconds: 0.2);
            var titles = Enumerable.Range(1, 10).Select(i => $"Book {i:00}").ToArray();
            var list = string.Join(", ", titles.Select(t => $"'{t}'"));

            var batch = $"{list} | Invoke-BookBatch -Confirm:$false | Select-Object Title, Outcome";
            var batches = new[] { session.Start(batch), session.Start(batch) };
            var outcomes = batches.SelectMany(b => Ok(StoreSession.Read(b)).EnumerateArray()).Select(r => r.GetProperty("Outcome").ToString()).ToList();

            Assert.Equal(titles.Length, outcomes.Count(o => o == "Success"));

            Assert.Equal(titles, Runs(session).OrderBy(t => t, StringComparer.Ordinal));
            var done = Ok(session.Run("Get-BookStatus | Where-Object Status -eq Done | Measure-Object")).GetProperty("Count").GetInt32();
            Assert.Equal(titles.Length, done);
        }

        [Fact]
        public void AMisspeltStoreKindIsNotTakenForTheFiles()
        {
            using var session = new StoreSession(_server, _server.NewDatabase(), kind: "postgress");

            var outcome = session.Run("Get-BookStatus");

            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal("BookBatchSettingsInvalid,BookBatch.Commands.GetBookStatusCommand", outcome.GetProperty("id").GetString());
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

        // A workspace on a new database with its schema made, and one stage that sleeps and appends the book's title to runs.log.
        private StoreSession ReadySession(double stageSeconds)
        {
            var session = new StoreSession(_server, _server.NewDatabase());
            var path = session.PathOf("bookbatch.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            settings["delaySeconds"] = 0;
            settings["throttleLimit"] = 3;
            var sleep = stageSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["stages"] = JsonNode.Parse(JsonSerializer.Serialize(new[]
            {
                new { name = "render", command = "sh", arguments = new[] { "-c", $"sleep {sleep}; printf '%s\\n' \"$BOOKBATCH_TITLE\" >> '{session.PathOf("runs.log")}'" } },
            }));
            File.WriteAllText(path, settings.ToJsonString());
            Ok(session.Run("Update-BookBatchStore -Confirm:$false"));
            return session;
        }

        private static string[] Runs(StoreSession session) =>
            File.Exists(session.PathOf("runs.log")) ? File.ReadAllLines(session.PathOf("runs.log")).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

        private static JsonElement Ok(JsonElement outcome)
        {
            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            return outcome.GetProperty("result");
        }
    }
}
