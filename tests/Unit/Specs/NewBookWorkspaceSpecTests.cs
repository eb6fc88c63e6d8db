using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/New-BookWorkspace.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class NewBookWorkspaceSpecTests
    {
        [Fact]
        public void WritesADatabaseWithNoBooksThatTestBookDatabaseFindsHealthy()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace ws | Out-Null").Succeeded();

            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("ws", "database.json")));
            Assert.Equal(JsonValueKind.Array, db.RootElement.GetProperty("books").ValueKind);
            Assert.Equal(0, db.RootElement.GetProperty("books").GetArrayLength());
            Assert.Empty(session.Run("Get-BookStatus -Workspace ws").Succeeded().Output);
            Assert.True(session.Run("Test-BookDatabase -Workspace ws").Succeeded().Objects<BookDatabaseReport>().Single().IsHealthy);
        }

        [Fact]
        public void WritesABookListWhoseLinesGetBookStatusReadsAsNewBooks()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace ws | Out-Null").Succeeded();

            var statuses = session.Run("Get-Content ws/books.txt | Get-BookStatus -Workspace ws").Succeeded().Objects<BookStatus>().ToList();

            Assert.NotEmpty(statuses);
            Assert.All(statuses, s => Assert.Equal((BookState.New, BookAction.Process), (s.Status, s.Action)));
        }

        [Fact]
        public void UsesTheCurrentLocationWhenNoPathIsGiven()
        {
            using var session = new PowerShellSession();

            session.Run("New-BookWorkspace | Out-Null").Succeeded();

            Assert.True(File.Exists(session.PathOf("bookbatch.json")));
            Assert.True(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void WhatIfCreatesNothing()
        {
            using var session = new PowerShellSession();

            session.Run("New-BookWorkspace ws -WhatIf | Out-Null").Succeeded();

            Assert.False(File.Exists(session.PathOf("ws", "bookbatch.json")));
            Assert.False(File.Exists(session.PathOf("ws", "database.json")));
        }

        [Fact]
        public void RunAgainWithoutForceItIsWorkspaceAlreadyExistsAndChangesNothing()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace ws | Out-Null").Succeeded();
            var settings = session.PathOf("ws", "bookbatch.json");
            File.WriteAllText(settings, "{\"stages\": []}");
            var before = File.ReadAllBytes(settings);

            var result = session.Run("New-BookWorkspace ws");

            Assert.Equal(new[] { "WorkspaceAlreadyExists" }, result.ErrorIds);
            Assert.Equal(before, File.ReadAllBytes(settings));
        }

        [Fact]
        public void ForceKeepsTheDatabaseByteForByte()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace ws | Out-Null; Add-Book Kept Someone -Workspace ws").Succeeded();
            var before = File.ReadAllBytes(session.PathOf("ws", "database.json"));

            session.Run("New-BookWorkspace ws -Force | Out-Null").Succeeded();

            Assert.Equal(before, File.ReadAllBytes(session.PathOf("ws", "database.json")));
        }
    }
}
