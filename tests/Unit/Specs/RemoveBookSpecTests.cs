using System.IO;
using System.Linq;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Remove-Book.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class RemoveBookSpecTests
    {
        /// <summary>A processing book with a run folder and a done book, in the old system's format.</summary>
        private static PowerShellSession TwoBooks()
        {
            var session = new PowerShellSession();
            Directory.CreateDirectory(session.PathOf("runs", "r1"));
            File.WriteAllText(session.PathOf("runs", "r1", "summary.json"), "{\"search\": \"success\", \"transcribe\": null}");
            File.WriteAllText(session.PathOf("database.json"), @"{""books"": [
  {""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2025-10-20T08:00:00"", ""run_folder"": ""r1""},
  {""main_title"": ""Atomic Habits"", ""author_name"": ""James Clear"", ""status"": ""done"", ""youtube_url"": ""https://youtube.com/watch?v=ah"", ""short_url"": null, ""date_added"": ""2025-10-19T10:30:00"", ""run_folder"": null}
]}");
            return session;
        }

        private static string[] Titles(PowerShellSession session) =>
            session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title).ToArray();

        [Fact]
        public void RemovesBooksPipedInFoundAsGetBookStatusFindsThem()
        {
            using var session = TwoBooks();

            session.Run("'  DEEP work | cal NEWPORT ' | Remove-Book -Confirm:$false").Succeeded();

            Assert.Equal(new[] { "Atomic Habits" }, Titles(session));
            Assert.True(File.Exists(session.PathOf("runs", "r1", "summary.json")));
        }

        [Fact]
        public void RemovesBooksPipedFromGetBookStatus()
        {
            using var session = TwoBooks();

            session.Run("Get-BookStatus -Status Done | Remove-Book -Confirm:$false").Succeeded();

            Assert.Equal(new[] { "Deep Work" }, Titles(session));
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            using var session = TwoBooks();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            session.Run("Remove-Book 'Deep Work' -WhatIf").Succeeded();

            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
            Assert.Equal(2, Titles(session).Length);
        }

        [Fact]
        public void ABookNotRecordedIsBookNotFoundAndNothingChanges()
        {
            using var session = TwoBooks();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            var result = session.Run("Remove-Book 'Shallow Work' -Confirm:$false");

            Assert.Equal(new[] { "BookNotFound" }, result.ErrorIds);
            Assert.Null(result.Terminating);
            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
        }
    }
}
