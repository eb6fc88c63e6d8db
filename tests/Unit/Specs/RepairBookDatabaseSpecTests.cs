using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Repair-BookDatabase.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class RepairBookDatabaseSpecTests
    {
        private const string Corrupt = "{\"books\": [ {\"main_title\": \"A\"";

        // The same book twice: once processing, once done.
        internal const string DuplicateDatabase = @"{""books"": [
  {""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2025-10-20T08:00:00"", ""run_folder"": null},
  {""main_title"": ""Atomic Habits"", ""author_name"": ""James Clear"", ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2025-10-19T10:30:00"", ""run_folder"": null},
  {""main_title"": ""deep  work"", ""author_name"": ""CAL NEWPORT"", ""status"": ""done"", ""youtube_url"": ""https://youtube.com/watch?v=dw"", ""short_url"": null, ""date_added"": ""2025-10-21T09:00:00"", ""run_folder"": null}
]}
";

        private static BookDatabaseRepair[] Repair(PowerShellSession session) =>
            session.Run("Repair-BookDatabase -Confirm:$false").Succeeded().Objects<BookDatabaseRepair>().ToArray();

        [Fact]
        public void AddBookWorksAgainAfterTheBackupIsRestored()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book One; Add-Book Two").Succeeded();
            File.WriteAllText(session.PathOf("database.json"), Corrupt);
            Repair(session);

            session.Run("Add-Book Three").Succeeded();

            Assert.Equal(new[] { "One", "Three" }, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void WithoutABackupItSalvagesTheBooksItCanReadAndKeepsTheDamagedFile()
        {
            using var session = new PowerShellSession();
            var path = session.PathOf("database.json");
            File.WriteAllText(path, "{\"books\": [ {\"main_title\": \"Deep Work\", \"author_name\": \"Cal Newport\", \"status\": \"done\", \"youtube_url\": \"https://youtube.com/watch?v=dw\"}, {\"main_title\": \"B\"");
            var damagedBytes = File.ReadAllBytes(path);

            var steps = Repair(session);

            Assert.Single(steps, s => s.Action == BookDatabaseRepairAction.SalvagedBooks);
            var status = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal(("Deep Work", BookState.Done), (status.Title, status.Status));
            var damaged = Assert.Single(Directory.GetFiles(session.Folder, "database.json.damaged-*"));
            Assert.Equal(damagedBytes, File.ReadAllBytes(damaged));
        }

        [Fact]
        public void MergesADuplicateEntryIntoOneAndTheDoneOneWins()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), DuplicateDatabase);

            var steps = Repair(session);

            Assert.Single(steps, s => s.Action == BookDatabaseRepairAction.MergedDuplicates);
            var statuses = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(2, statuses.Count);
            // One entry is left for the book, whichever spelling it keeps (the spec compares with -eq, which ignores case).
            var deepWork = Assert.Single(statuses, s => string.Equals(s.Title, "Deep Work", System.StringComparison.OrdinalIgnoreCase));
            Assert.Equal((BookState.Done, "https://youtube.com/watch?v=dw"), (deepWork.Status, deepWork.YouTubeUrl));
            Assert.True(session.Run("Test-BookDatabase").Succeeded().Objects<BookDatabaseReport>().Single().IsHealthy);
            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            Assert.Equal(2, db.RootElement.GetProperty("books").GetArrayLength());
        }

        [Fact]
        public void AHealthyDatabaseGetsOneStepNoneAndIsLeftAsItIs()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            var steps = Repair(session);

            Assert.Equal(BookDatabaseRepairAction.None, Assert.Single(steps).Action);
            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
        }
    }
}
