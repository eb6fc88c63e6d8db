using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Reset-Book.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class ResetBookSpecTests
    {
        private const string RunFolderName = "2025-10-20_08-00-00_Deep-Work";

        /// <summary>A done book with a run folder, in the old system's format, and its run's summary.json; returns the summary's path.</summary>
        private static string DoneBookWithRun(PowerShellSession session)
        {
            File.WriteAllText(session.PathOf("database.json"), @"{""books"": [{""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""done"",
  ""youtube_url"": ""https://youtube.com/watch?v=dw"", ""short_url"": null,
  ""date_added"": ""2025-10-20T08:00:00"", ""run_folder"": """ + RunFolderName + @"""}]}");
            Directory.CreateDirectory(session.PathOf("runs", RunFolderName));
            var summary = session.PathOf("runs", RunFolderName, "summary.json");
            File.WriteAllText(summary, "{\"search\": \"success\", \"transcribe\": \"success\", \"process\": \"success\", \"tts\": \"success\", \"render\": \"success\", \"upload\": \"success\", \"shorts\": \"failed\"}");
            return summary;
        }

        private static BookState StatusOf(PowerShellSession session) => session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status;

        [Fact]
        public void SetsADoneBookBackToProcessingSoTheNextBatchResumesIt()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'; Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();

            var status = session.Run("Reset-Book 'Deep Work' -PassThru").Succeeded().Objects<BookStatus>().Single();

            Assert.Equal((BookState.Processing, BookAction.Resume), (status.Status, status.Action));
            var stored = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Processing, BookAction.Resume), (stored.Status, stored.Action));
            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            Assert.Equal("processing", db.RootElement.GetProperty("books")[0].GetProperty("status").GetString());
        }

        [Fact]
        public void ResetsBooksPipedIn()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work' 'Cal Newport'; " +
                        "Get-BookStatus | Complete-Book -YouTubeUrl https://youtube.com/watch?v=1").Succeeded();

            session.Run("'deep work | cal newport' | Reset-Book").Succeeded();

            Assert.Equal(new[] { "Deep Work" }, session.Run("Get-BookStatus -Status Processing").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(new[] { "Atomic Habits" }, session.Run("Get-BookStatus -Status Done").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void FromStageKeepsTheBooksRunFolder()
        {
            using var session = new PowerShellSession();
            DoneBookWithRun(session);

            var status = session.Run("Reset-Book 'Deep Work' -FromStage tts -PassThru").Succeeded().Objects<BookStatus>().Single();

            Assert.Equal(RunFolderName, status.RunFolder);
        }

        [Fact]
        public void AStageTheRunLacksIsStageNotFoundAndLeavesSummaryAndDatabaseByteForByte()
        {
            using var session = new PowerShellSession();
            var summary = DoneBookWithRun(session);
            var summaryBefore = File.ReadAllBytes(summary);
            var databaseBefore = File.ReadAllBytes(session.PathOf("database.json"));

            var result = session.Run("Reset-Book 'Deep Work' -FromStage narrate");

            Assert.Equal(new[] { "StageNotFound" }, result.ErrorIds);
            Assert.Equal(summaryBefore, File.ReadAllBytes(summary));
            Assert.Equal(databaseBefore, File.ReadAllBytes(session.PathOf("database.json")));
            Assert.Equal(BookState.Done, StatusOf(session));
        }

        [Fact]
        public void ABookNotRecordedIsBookNotFound()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();

            var result = session.Run("Reset-Book 'Shallow Work'");

            Assert.Equal(new[] { "BookNotFound" }, result.ErrorIds);
            Assert.Null(result.Terminating);
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            using var session = new PowerShellSession();
            var summary = DoneBookWithRun(session);
            var before = File.ReadAllBytes(summary);

            session.Run("Reset-Book 'Deep Work' -FromStage tts -WhatIf").Succeeded();

            Assert.Equal(before, File.ReadAllBytes(summary));
            Assert.Equal(BookState.Done, StatusOf(session));
        }
    }
}
