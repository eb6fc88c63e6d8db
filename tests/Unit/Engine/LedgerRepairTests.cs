using System;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Ledger;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class LedgerRepairTests
    {
        private const string Backup = @"{""books"": [
            {""main_title"": ""Old One"", ""status"": ""done"", ""youtube_url"": ""https://y/1""},
            {""main_title"": ""Old Two"", ""status"": ""processing""}]}";

        [Fact]
        public void RestoresTheBackupAndKeepsBooksStillReadableInTheDamagedFile()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json.bak", Backup);
            var damaged = temp.Write("database.json", @"{""books"": [
                {""main_title"": ""Old One"", ""status"": ""done"", ""youtube_url"": ""https://y/1b""},
                {""main_title"": ""New Three"", ""status"": ""processing"", ""extra"": {""a"": 1}},
                {""main_title"": ""Cut Off"", ""sta");
            var damagedBytes = File.ReadAllBytes(damaged);

            var plan = LedgerRepair.Prepare(temp.Workspace, new DateTime(2026, 1, 1, 12, 0, 0));
            Assert.True(plan.HasWork);
            Assert.Contains(plan.Steps, s => s.Action == BookDatabaseRepairAction.RestoredBackup && s.Books == 1);
            Assert.Contains(plan.Steps, s => s.Action == BookDatabaseRepairAction.SalvagedBooks && s.Books == 2);
            Assert.Equal(damagedBytes, File.ReadAllBytes(damaged)); // preparing changes nothing

            LedgerRepair.Apply(temp.Workspace, plan, CancellationToken.None);
            var ledger = new LedgerStore(temp.Workspace).Read();
            Assert.Equal(new[] { "Old One", "New Three", "Old Two" }, ledger.Books.Select(b => b.Book.Title));
            Assert.Equal("https://y/1b", ledger.Books[0].YouTubeUrl);
            Assert.True(ledger.Books[1].UnknownFields.ContainsKey("extra"));
            Assert.Equal(damagedBytes, File.ReadAllBytes(temp.Workspace.DatabasePath + ".damaged-20260101-120000"));
        }

        [Fact]
        public void MergesDuplicatesKeepingTheDoneEntry()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json", @"{""books"": [
                {""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""processing"", ""run_folder"": ""r1"", ""note"": ""x""},
                {""main_title"": ""deep  work"", ""author_name"": ""CAL NEWPORT"", ""status"": ""done"", ""youtube_url"": ""https://y/2""}]}");
            Assert.Contains(LedgerCheck.Inspect(temp.Workspace).Issues, i => i.Kind == BookDatabaseIssueKind.Duplicate);

            var plan = LedgerRepair.Prepare(temp.Workspace, DateTime.Now);
            LedgerRepair.Apply(temp.Workspace, plan, CancellationToken.None);
            var book = Assert.Single(new LedgerStore(temp.Workspace).Read().Books);
            Assert.Equal(BookState.Done, book.State);
            Assert.Equal("https://y/2", book.YouTubeUrl);
            Assert.Equal("r1", book.RunFolder);
            Assert.True(book.UnknownFields.ContainsKey("note"));
            Assert.True(File.Exists(temp.Workspace.BackupPath));
            Assert.True(LedgerCheck.Inspect(temp.Workspace).IsHealthy);
        }

        [Fact]
        public void AHealthyDatabaseNeedsNoRepair()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json", Backup);
            Assert.False(LedgerRepair.Prepare(temp.Workspace, DateTime.Now).HasWork);
        }

        [Fact]
        public void RefusesToWriteWhenTheFileChangedSinceThePlan()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json.bak", Backup);
            temp.Write("database.json", "{ broken");
            var plan = LedgerRepair.Prepare(temp.Workspace, DateTime.Now);
            temp.Write("database.json", "{ broken differently");
            Assert.Throws<IOException>(() => LedgerRepair.Apply(temp.Workspace, plan, CancellationToken.None));
            Assert.Equal("{ broken differently", File.ReadAllText(temp.Workspace.DatabasePath));
        }

        [Fact]
        public void ChecksRunFoldersStatusesAndUrls()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json", @"{""books"": [
                {""main_title"": ""A"", ""status"": ""processing"", ""run_folder"": ""gone""},
                {""main_title"": ""B"", ""status"": ""processing"", ""run_folder"": ""../../etc""},
                {""main_title"": ""C"", ""status"": ""failed""},
                {""main_title"": ""D"", ""status"": ""done""}]}");
            var report = LedgerCheck.Inspect(temp.Workspace);
            Assert.Equal(4, report.Books);
            Assert.False(report.IsHealthy);
            var kinds = report.Issues.Select(i => (i.Kind, i.Book)).ToList();
            Assert.Contains((BookDatabaseIssueKind.MissingRunFolder, "A"), kinds);
            Assert.Contains((BookDatabaseIssueKind.UnsafeRunFolder, "B"), kinds);
            Assert.Contains((BookDatabaseIssueKind.UnknownStatus, "C"), kinds);
            Assert.Contains((BookDatabaseIssueKind.DoneWithoutUrl, "D"), kinds);
        }
    }
}
