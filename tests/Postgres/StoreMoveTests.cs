using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Settings;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Import-BookBatchStore and Export-BookBatchStore in pwsh, as an operator runs them: a workspace's database.json goes
    /// into its store and comes back out unchanged, and every refusal writes nothing.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class StoreMoveTests
    {
        private const string Sample = LedgerStoreTests.Database;
        private const string OneBook = "{\n  \"books\": [\n    {\n      \"main_title\": \"Only\",\n      \"author_name\": null\n    }\n  ]\n}\n";

        private readonly PostgresServer _server;

        public StoreMoveTests(PostgresServer server) => _server = server;

        [Fact]
        public void ADatabaseGoesIntoTheStoreAndComesBackByteForByte()
        {
            using var session = Migrated(out var database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            var imported = session.Run("Import-BookBatchStore");
            var exported = session.Run("Export-BookBatchStore -Path back.json");

            Assert.True(imported.GetProperty("ok").GetBoolean(), imported.ToString());
            var result = imported.GetProperty("result");
            Assert.Equal(4, result.GetProperty("Books").GetInt32());
            Assert.Equal(0, result.GetProperty("Replaced").GetInt64());
            Assert.Equal(Connection(database), result.GetProperty("Connection").GetString());
            Assert.Equal(session.PathOf("database.json"), result.GetProperty("Source").GetString());
            Assert.Equal(4, Count(database));
            Assert.Equal(Sample, File.ReadAllText(session.PathOf("database.json"))); // left in place, unchanged
            Assert.True(exported.GetProperty("ok").GetBoolean(), exported.ToString());
            Assert.Equal(4, exported.GetProperty("result").GetProperty("Books").GetInt32());
            Assert.False(exported.GetProperty("result").GetProperty("ReplacedFile").GetBoolean());
            Assert.Equal(Encoding.UTF8.GetBytes(Sample), File.ReadAllBytes(session.PathOf("back.json")));
        }

        [Fact]
        public void TheStagesRateWindowsComeAlongSoThatAQuotaHoldsAcrossTheMove()
        {
            using var session = Migrated(out var database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));
            var path = session.PathOf("bookbatch.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            settings["stages"] = JsonNode.Parse("[{\"name\": \"Upload\", \"command\": \"true\", \"rate\": {\"starts\": 3, \"perSeconds\": 3600}}]");
            File.WriteAllText(path, settings.ToJsonString());
            // Two uploads this hour and a "not now" for five more minutes, as the file store keeps them.
            var now = DateTimeOffset.UtcNow;
            var limits = Path.Combine(session.Workspace, "batches", "limits");
            Directory.CreateDirectory(limits);
            File.WriteAllText(Path.Combine(limits, "upload.starts"),
                $"s {(now - TimeSpan.FromMinutes(50)).ToUnixTimeMilliseconds()}\ns {(now - TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds()}\n" +
                $"b {(now + TimeSpan.FromMinutes(5)).ToUnixTimeMilliseconds()}\n");

            var imported = session.Run("Import-BookBatchStore");
            var again = session.Run("Import-BookBatchStore -Force -Confirm:$false");

            Assert.True(imported.GetProperty("ok").GetBoolean(), imported.ToString());
            Assert.Equal(2, imported.GetProperty("result").GetProperty("RateStarts").GetInt32());
            Assert.True(again.GetProperty("ok").GetBoolean(), again.ToString());
            Assert.Equal(0, again.GetProperty("result").GetProperty("RateStarts").GetInt32()); // counted once, however often moved
            var stage = PipelineSettings.Load(path, session.Workspace).Stages.Single();
            using var coordination = PostgresLibrary.OpenCoordination(Settings(database), _server.Password, "test");
            var (starts, nextOpening) = coordination.RateOf(stage).Peek(DateTimeOffset.Now);
            Assert.Equal(2, starts);
            Assert.True(nextOpening >= now + TimeSpan.FromMinutes(4), $"the store lets the stage start at {nextOpening:O}: its \"not now\" was left behind");
        }

        [Fact]
        public void TheWorkspacesDatabaseIsReplacedOnlyWithForceAndKeepsItsBackup()
        {
            using var session = Migrated(out _);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));
            session.Run("Import-BookBatchStore");
            File.WriteAllText(session.PathOf("database.json"), OneBook, new UTF8Encoding(false));

            var refused = session.Run("Export-BookBatchStore");
            Assert.False(refused.GetProperty("ok").GetBoolean(), refused.ToString());
            Assert.StartsWith("BookBatchStoreExportFileExists,", refused.GetProperty("id").GetString());
            Assert.Equal("ResourceExists", refused.GetProperty("category").GetString());
            Assert.Contains("-Force", refused.GetProperty("message").GetString());
            Assert.Equal(OneBook, File.ReadAllText(session.PathOf("database.json")));

            var replaced = session.Run("Export-BookBatchStore -Force");
            Assert.True(replaced.GetProperty("ok").GetBoolean(), replaced.ToString());
            Assert.True(replaced.GetProperty("result").GetProperty("ReplacedFile").GetBoolean());
            Assert.Equal(session.PathOf("database.json.bak"), replaced.GetProperty("result").GetProperty("Backup").GetString());
            Assert.Equal(Encoding.UTF8.GetBytes(Sample), File.ReadAllBytes(session.PathOf("database.json")));
            Assert.Equal(OneBook, File.ReadAllText(session.PathOf("database.json.bak")));
            Assert.Empty(Directory.GetFiles(session.Workspace, "*.tmp"));
        }

        [Fact]
        public void AStoreThatHoldsBooksIsRefusedWithoutForceAndNothingIsWritten()
        {
            using var session = Migrated(out var database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));
            session.Run("Import-BookBatchStore");
            File.WriteAllText(session.PathOf("database.json"), OneBook, new UTF8Encoding(false));

            var refused = session.Run("Import-BookBatchStore");

            Assert.False(refused.GetProperty("ok").GetBoolean(), refused.ToString());
            Assert.StartsWith("BookBatchStoreNotEmpty,", refused.GetProperty("id").GetString());
            Assert.Equal("ResourceExists", refused.GetProperty("category").GetString());
            Assert.Equal(Connection(database), refused.GetProperty("target").GetString());
            Assert.Contains("-Force", refused.GetProperty("message").GetString());
            Assert.Contains("Export-BookBatchStore", refused.GetProperty("message").GetString());
            Assert.Equal(Sample, Exported(session));

            var forced = session.Run("Import-BookBatchStore -Force -Confirm:$false");

            Assert.True(forced.GetProperty("ok").GetBoolean(), forced.ToString());
            Assert.Equal(1, forced.GetProperty("result").GetProperty("Books").GetInt32());
            Assert.Equal(4, forced.GetProperty("result").GetProperty("Replaced").GetInt64());
            Assert.Equal(OneBook, Exported(session));
        }

        [Fact]
        public void ReplacingAStoresBooksAsksAndASessionThatCannotAskIsRefused()
        {
            using var session = Migrated(out _);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));
            session.Run("Import-BookBatchStore");
            File.WriteAllText(session.PathOf("database.json"), OneBook, new UTF8Encoding(false));

            // pwsh -NonInteractive cannot answer; with the default $ConfirmPreference (High) the replacement must ask.
            var refused = session.Run("Import-BookBatchStore -Force");

            Assert.False(refused.GetProperty("ok").GetBoolean(), refused.ToString());
            Assert.StartsWith("BookBatchStoreConfirmationRequired,", refused.GetProperty("id").GetString());
            Assert.Contains("-Confirm:$false", refused.GetProperty("message").GetString());
            Assert.Equal(Sample, Exported(session));
        }

        [Fact]
        public void TheImportReadsTheDatabaseUnderTheWorkspaceLock()
        {
            using var session = Migrated(out var database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            // A batch's ledger write holds the lock: the import waits for it, then moves the books.
            var held = new FileStream(session.PathOf("database.json.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var import = session.Start("Import-BookBatchStore");
            Thread.Sleep(TimeSpan.FromSeconds(6));
            var countWhileHeld = Count(database);
            held.Dispose();
            var outcome = StoreSession.Read(import);

            Assert.Equal(0, countWhileHeld);
            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal(4, Count(database));
        }

        [Fact]
        public void WhatIfWritesNothing()
        {
            using var session = Migrated(out var database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            var import = session.Run("Import-BookBatchStore -WhatIf");
            Assert.True(import.GetProperty("ok").GetBoolean(), import.ToString());
            Assert.Equal(0, Count(database));

            session.Run("Import-BookBatchStore");
            var export = session.Run("Export-BookBatchStore -Path back.json -WhatIf");
            Assert.True(export.GetProperty("ok").GetBoolean(), export.ToString());
            Assert.False(File.Exists(session.PathOf("back.json")));

            File.WriteAllText(session.PathOf("database.json"), OneBook, new UTF8Encoding(false));
            var replace = session.Run("Import-BookBatchStore -Force -WhatIf");
            var overwrite = session.Run("Export-BookBatchStore -Force -WhatIf");
            Assert.True(replace.GetProperty("ok").GetBoolean(), replace.ToString());
            Assert.True(overwrite.GetProperty("ok").GetBoolean(), overwrite.ToString());
            Assert.Equal(4, Count(database));
            Assert.Equal(OneBook, File.ReadAllText(session.PathOf("database.json")));
            Assert.False(File.Exists(session.PathOf("database.json.bak")));
        }

        [Fact]
        public void AWorkspaceWithoutADatabaseHasNothingToImport()
        {
            using var session = Migrated(out var database);

            var outcome = session.Run("Import-BookBatchStore -Force -Confirm:$false");

            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.StartsWith("BookDatabaseNotFound,", outcome.GetProperty("id").GetString());
            Assert.Equal("ObjectNotFound", outcome.GetProperty("category").GetString());
            Assert.Equal(0, Count(database));
        }

        [Theory]
        [InlineData("Import-BookBatchStore -Force -Confirm:$false")]
        [InlineData("Export-BookBatchStore -Path back.json -Force -Confirm:$false")]
        public void AStoreWithoutTheSchemaIsRefusedBeforeAnythingIsWritten(string command)
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            var outcome = session.Run(command);

            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.StartsWith("BookBatchStoreSchemaMissing,", outcome.GetProperty("id").GetString());
            Assert.Contains("Update-BookBatchStore", outcome.GetProperty("message").GetString());
            Assert.False(File.Exists(session.PathOf("back.json")));
            Assert.Equal(Sample, File.ReadAllText(session.PathOf("database.json")));
        }

        [Theory]
        [InlineData("Import-BookBatchStore -Force -Confirm:$false")]
        [InlineData("Export-BookBatchStore -Force -Confirm:$false")]
        public void AWrongPasswordIsALoginFailureNamingTheConnectionNotThePassword(string command)
        {
            var database = _server.NewDatabase();
            const string wrong = "Wrong-Secret-0815";
            using var session = new StoreSession(_server, database, password: wrong);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            var outcome = session.Run(command);

            AssertStoreError(outcome, "BookBatchStoreLoginFailed", "AuthenticationError", Connection(database));
            Assert.DoesNotContain(wrong, outcome.ToString());
            Assert.DoesNotContain(_server.Password, outcome.ToString());
            Assert.Equal(Sample, File.ReadAllText(session.PathOf("database.json")));
        }

        [Theory]
        [InlineData("Import-BookBatchStore -Force -Confirm:$false")]
        [InlineData("Export-BookBatchStore -Force -Confirm:$false")]
        public void AnUnreachableServerNamesTheConnectionNotThePassword(string command)
        {
            var database = _server.NewDatabase();
            var closed = ClosedPort();
            using var session = new StoreSession(_server, database, port: closed);
            File.WriteAllText(session.PathOf("database.json"), Sample, new UTF8Encoding(false));

            var outcome = session.Run(command);

            AssertStoreError(outcome, "BookBatchStoreUnreachable", "ConnectionError", $"127.0.0.1:{closed}/{database} as {PostgresServer.UserName}");
            Assert.DoesNotContain(_server.Password, outcome.ToString());
            Assert.Equal(Sample, File.ReadAllText(session.PathOf("database.json")));
            Assert.Empty(Directory.GetFiles(session.Workspace, "*.tmp"));
        }

        [Fact]
        public async Task AnExportNeverLeavesAHalfWrittenFile()
        {
            using var session = Migrated(out var database);
            // A ledger of some megabytes, so that writing it takes many writes of the disk's buffer.
            var big = new StringBuilder("{\n  \"books\": [\n");
            for (var i = 0; i < 20000; i++)
                big.Append(i == 0 ? "" : ",\n").Append("    {\n      \"main_title\": \"Book ").Append(i)
                   .Append(" — ").Append('é', 40).Append("\",\n      \"author_name\": \"Author ").Append(i).Append("\",\n      \"status\": \"done\"\n    }");
            big.Append("\n  ]\n}\n");
            var content = Encoding.UTF8.GetBytes(big.ToString());
            Assert.Equal(content, LedgerJson.Write(LedgerJson.Parse(content, "big.json")));
            PostgresLibrary.OpenLedger(Settings(database), _server.Password, "test").Load(LedgerJson.Parse(content, "big.json"), replace: false, CancellationToken.None);
            var target = session.PathOf("back.json");
            File.WriteAllText(target, Sample, new UTF8Encoding(false));
            var old = Encoding.UTF8.GetBytes(Sample);

            // A reader reads the file over and over while it is written out three times: each read is the old file or the new one.
            using var stop = new CancellationTokenSource();
            var reads = 0;
            var torn = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    byte[] seen;
                    try
                    {
                        using var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                        using var copy = new MemoryStream();
                        stream.CopyTo(copy);
                        seen = copy.ToArray();
                    }
                    catch (FileNotFoundException) { return "the file was missing"; }
                    reads++;
                    if (!seen.AsSpan().SequenceEqual(old) && !seen.AsSpan().SequenceEqual(content)) return $"a read of {seen.Length} bytes (old {old.Length}, new {content.Length})";
                }
                return null;
            });
            for (var i = 0; i < 3; i++)
            {
                var outcome = session.Run("Export-BookBatchStore -Path back.json -Force -Confirm:$false");
                Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            }
            stop.Cancel();

            Assert.Null(await torn);
            Assert.True(reads > 10, $"only {reads} reads");
            Assert.Equal(content, File.ReadAllBytes(target));
            Assert.Empty(Directory.GetFiles(session.Workspace, "*.tmp"));
        }

        // A workspace whose store has the schema (and no books).
        private StoreSession Migrated(out string database)
        {
            database = _server.NewDatabase();
            PostgresLibrary.Open(Settings(database), _server.Password, "test").Migrate(CancellationToken.None);
            return new StoreSession(_server, database);
        }

        // The store's ledger as Export-BookBatchStore writes it.
        private static string Exported(StoreSession session)
        {
            var path = session.PathOf("exported-" + Guid.NewGuid().ToString("N")[..6] + ".json");
            var outcome = session.Run($"Export-BookBatchStore -Path '{path}'");
            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            return File.ReadAllText(path);
        }

        private long Count(string database) => PostgresLibrary.OpenLedger(Settings(database), _server.Password, "test").Count(CancellationToken.None);

        private PostgresSettings Settings(string database) => new("127.0.0.1", _server.Port, database, PostgresServer.UserName, null);

        private string Connection(string database) => $"127.0.0.1:{_server.Port}/{database} as {PostgresServer.UserName}";

        private static void AssertStoreError(JsonElement outcome, string errorId, string category, string connection)
        {
            Assert.False(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.StartsWith(errorId + ",", outcome.GetProperty("id").GetString());
            Assert.Equal(category, outcome.GetProperty("category").GetString());
            Assert.Equal(connection, outcome.GetProperty("target").GetString());
            Assert.Contains(connection, outcome.GetProperty("message").GetString());
        }

        private static int ClosedPort()
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
