using System.Text.Json;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>A store that cannot be used: an error with its ErrorId naming the connection, never the password, and nothing written.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class ConnectionErrorTests
    {
        private readonly PostgresServer _server;

        public ConnectionErrorTests(PostgresServer server) => _server = server;

        [Fact]
        public void AWrongPasswordIsALoginFailure()
        {
            var database = _server.NewDatabase();
            const string wrong = "Wrong-Secret-4711";
            using var session = new StoreSession(_server, database, password: wrong);

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false");

            AssertError(outcome, "BookBatchStoreLoginFailed", "AuthenticationError", $"127.0.0.1:{_server.Port}/{database} as {PostgresServer.UserName}");
            Assert.DoesNotContain(wrong, outcome.GetProperty("message").GetString());
            Assert.Contains(StoreSession.PasswordVariable, outcome.GetProperty("message").GetString());
        }

        [Fact]
        public void ACredentialGoesBeforeTheEnvironmentVariable()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database, password: "Wrong-Secret-4711");

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false -Credential $credential",
                before: $"$credential = [pscredential]::new('{PostgresServer.UserName}', (ConvertTo-SecureString '{_server.Password}' -AsPlainText -Force))");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        }

        [Fact]
        public void APortWithoutAServerIsUnreachable()
        {
            var database = _server.NewDatabase();
            var closed = ClosedPort();
            using var session = new StoreSession(_server, database, port: closed);

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false");

            AssertError(outcome, "BookBatchStoreUnreachable", "ConnectionError", $"127.0.0.1:{closed}/{database} as {PostgresServer.UserName}");
            Assert.DoesNotContain(_server.Password, outcome.GetProperty("message").GetString());
        }

        [Fact]
        public void ADatabaseWithoutTheSchemaSaysHowToCreateIt()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);

            var outcome = session.Run("Get-BookBatchStore");

            AssertError(outcome, "BookBatchStoreSchemaMissing", "ObjectNotFound", $"127.0.0.1:{_server.Port}/{database} as {PostgresServer.UserName}");
            Assert.Contains("Update-BookBatchStore", outcome.GetProperty("message").GetString());
            Assert.DoesNotContain(_server.Password, outcome.GetProperty("message").GetString());
        }

        [Fact]
        public void AMisspeltStoreKindNamesTheNearestKind()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database, kind: "postgress");

            var outcome = session.Run("Update-BookBatchStore -Confirm:$false");

            Assert.False(outcome.GetProperty("ok").GetBoolean());
            Assert.StartsWith("BookBatchSettingsInvalid,", outcome.GetProperty("id").GetString());
            Assert.Contains("did you mean \"postgres\"", outcome.GetProperty("message").GetString());
        }

        [Fact]
        public void AFileWorkspaceIsNotAPostgresStore()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database, kind: "file");

            var outcome = session.Run("Get-BookBatchStore");

            Assert.False(outcome.GetProperty("ok").GetBoolean());
            Assert.StartsWith("BookBatchStoreNotPostgres,", outcome.GetProperty("id").GetString());
        }

        private static void AssertError(JsonElement outcome, string errorId, string category, string connection)
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
