using System.IO;
using System.Linq;
using BookBatch.Engine.Ledger;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Test-BookDatabase.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class TestBookDatabaseSpecTests
    {
        private static BookDatabaseReport Report(PowerShellSession session) =>
            session.Run("Test-BookDatabase").Succeeded().Objects<BookDatabaseReport>().Single();

        private static object Quiet(PowerShellSession session) =>
            session.Run("Test-BookDatabase -Quiet").Succeeded().Output.Single().BaseObject;

        [Fact]
        public void ReportsAHealthyDatabase()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work' 'Cal Newport'").Succeeded();

            var report = Report(session);

            Assert.Equal((true, true, 2), (report.IsHealthy, report.Exists, report.Books));
            Assert.Empty(report.Issues);
            Assert.Equal(true, Quiet(session));
        }

        [Fact]
        public void FindsAWorkspaceWithoutADatabaseHealthyAndCreatesNothing()
        {
            using var session = new PowerShellSession();

            var report = Report(session);

            Assert.Equal((true, false, 0), (report.IsHealthy, report.Exists, report.Books));
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void ACorruptDatabaseIsAnErrorIssueThatSaysToRunRepairBookDatabase()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [ {\"main_title\": \"A\"");

            var corrupt = Assert.Single(Report(session).Issues, i => i.Kind == BookDatabaseIssueKind.Corrupt);

            Assert.Equal(BookDatabaseIssueSeverity.Error, corrupt.Severity);
            Assert.Contains("Repair-BookDatabase", corrupt.Message);
        }

        [Fact]
        public void ReportsABookRecordedTwiceAsADuplicateAndChangesNothing()
        {
            using var session = new PowerShellSession();
            var path = session.PathOf("database.json");
            File.WriteAllText(path, RepairBookDatabaseSpecTests.DuplicateDatabase);
            var before = File.ReadAllBytes(path);

            var report = Report(session);

            Assert.False(report.IsHealthy);
            Assert.Equal(3, report.Books);
            var duplicate = Assert.Single(report.Issues, i => i.Kind == BookDatabaseIssueKind.Duplicate);
            Assert.Equal(BookDatabaseIssueSeverity.Error, duplicate.Severity);
            Assert.StartsWith("Deep Work", duplicate.Book);
            Assert.Equal(false, Quiet(session));
            Assert.Equal(before, File.ReadAllBytes(path));
        }

        [Fact]
        public void WarnsAboutAProcessingBookWhoseRunFolderIsGoneAndStaysHealthy()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Deep Work\", \"author_name\": null, \"status\": \"processing\", \"youtube_url\": null, " +
                "\"short_url\": null, \"date_added\": \"2025-10-20T08:00:00\", \"run_folder\": \"2025-10-20_08-00-00_Deep-Work\"}]}");

            var report = Report(session);

            Assert.True(report.IsHealthy);
            var missing = Assert.Single(report.Issues, i => i.Kind == BookDatabaseIssueKind.MissingRunFolder);
            Assert.Equal(BookDatabaseIssueSeverity.Warning, missing.Severity);
        }

        [Fact]
        public void AMissingWorkspaceStopsWithWorkspaceNotFound()
        {
            using var session = new PowerShellSession();

            var error = session.Throws("Test-BookDatabase -Workspace no-such-workspace");

            Assert.NotNull(error);
            Assert.StartsWith("WorkspaceNotFound,", error!.FullyQualifiedErrorId);
        }
    }
}
