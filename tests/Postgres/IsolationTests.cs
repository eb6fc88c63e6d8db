using System;
using System.IO;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>Npgsql is loaded only for a PostgreSQL store, and another module's older dependency cannot break it.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class IsolationTests
    {
        private readonly PostgresServer _server;

        public IsolationTests(PostgresServer server) => _server = server;

        [Fact]
        public void AnOlderLoggingAbstractionsInTheSessionDoesNotBreakTheStore()
        {
            var older = Path.Combine(Packages(), "microsoft.extensions.logging.abstractions", "6.0.0", "lib", "netstandard2.0",
                "Microsoft.Extensions.Logging.Abstractions.dll");
            Assert.True(File.Exists(older), older);
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);

            // Another module came first: its Microsoft.Extensions.Logging.Abstractions 6.0 is in the default context.
            var outcome = session.Run(
                "Update-BookBatchStore -Confirm:$false; " +
                "$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Extensions.Logging.Abstractions' } | ForEach-Object { $_.GetName().Version.Major }; " +
                "if (((@($loaded | Sort-Object -Unique)) -join ',') -ne '6,8') { throw \"Logging.Abstractions versions loaded: $($loaded -join ',')\" }; Get-BookBatchStore",
                before: $"$null = [System.Reflection.Assembly]::LoadFrom('{older}'); $null = [Microsoft.Extensions.Logging.Abstractions.NullLogger]::Instance");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            Assert.Equal(6, outcome.GetProperty("version").GetInt32());
        }

        [Fact]
        public void ImportingTheModuleAndWorkingInAFileWorkspaceLoadNoPostgresAssembly()
        {
            var database = _server.NewDatabase();
            using var session = new StoreSession(_server, database);

            var outcome = session.Run(
                "$files = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid()); New-BookWorkspace -Path $files | Out-Null; " +
                "Add-Book -Title 'Deep Work' -Workspace $files -Confirm:$false; Get-BookStatus -Workspace $files | Out-Null; Remove-Item $files -Recurse; " +
                "$npgsql = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -in 'Npgsql', 'BookBatch.Postgres' }; " +
                "if ($npgsql) { throw 'loaded: ' + ($npgsql.FullName -join ', ') }; Update-BookBatchStore -Confirm:$false");

            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
        }

        private static string Packages()
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            return string.IsNullOrEmpty(packages) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages") : packages;
        }
    }
}
