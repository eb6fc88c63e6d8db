using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Complete-Book.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class CompleteBookSpecTests
    {
        // The old system's database.json, with a field and a top-level key that BookBatch does not know.
        private const string OldSystemDatabase = @"{
  ""books"": [
    {""main_title"": ""Atomic Habits"", ""author_name"": ""James Clear"", ""status"": ""done"",
     ""youtube_url"": ""https://youtube.com/watch?v=ah"", ""short_url"": ""https://youtube.com/shorts/ah"",
     ""date_added"": ""2025-10-19T10:30:00"", ""run_folder"": ""2025-10-19_10-30-00_Atomic-Habits"", ""channel"": ""main""},
    {""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""processing"",
     ""youtube_url"": null, ""short_url"": null,
     ""date_added"": ""2025-10-20T08:00:00"", ""run_folder"": null, ""channel"": ""second""}
  ],
  ""version"": 2
}
";

        [Fact]
        public void RecordsTheBookDoneWithBothUrls()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();

            var done = session.Run("Complete-Book 'deep work' -YouTubeUrl https://youtube.com/watch?v=1 -ShortUrl https://youtube.com/shorts/2 -PassThru")
                .Succeeded().Objects<BookStatus>().Single();

            Assert.Equal(BookAction.Skip, done.Action);
            var stored = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Done, "https://youtube.com/watch?v=1", "https://youtube.com/shorts/2"), (stored.Status, stored.YouTubeUrl, stored.ShortUrl));
            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            var book = db.RootElement.GetProperty("books")[0];
            Assert.Equal("done", book.GetProperty("status").GetString());
            Assert.Equal("https://youtube.com/watch?v=1", book.GetProperty("youtube_url").GetString());
            Assert.Equal("https://youtube.com/shorts/2", book.GetProperty("short_url").GetString());
        }

        [Fact]
        public void WritesNothingWithoutPassThru()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();

            var result = session.Run("Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=1").Succeeded();

            Assert.Empty(result.Output);
            Assert.Equal(BookState.Done, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status);
        }

        [Theory]
        [InlineData("-YouTubeUrl ftp://example.com/video")]
        [InlineData("-YouTubeUrl 'not a url'")]
        [InlineData("-YouTubeUrl https://youtube.com/watch?v=1 -ShortUrl shorts/2")]
        public void AUrlThatIsNotHttpIsBookUrlInvalidAndChangesNothing(string urls)
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            var result = session.Run("Complete-Book 'Deep Work' " + urls);

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("BookUrlInvalid,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
            Assert.Equal(BookState.Processing, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status);
        }

        [Fact]
        public void ABookNotRecordedIsBookNotFoundOfCategoryObjectNotFound()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();

            var result = session.Run("Complete-Book 'Shallow Work' -YouTubeUrl https://youtube.com/watch?v=1");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("BookNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            var all = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { ("Deep Work", BookState.Processing) }, all.Select(s => (s.Title, s.Status)));
        }

        [Fact]
        public void CompletesBookListLinesPipedIn()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work' 'Cal Newport'").Succeeded();

            session.Run("'atomic habits | JAMES CLEAR' | Complete-Book -YouTubeUrl https://youtube.com/watch?v=ah").Succeeded();

            Assert.Equal(new[] { "Atomic Habits" }, session.Run("Get-BookStatus -Status Done").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            session.Run("Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=1 -WhatIf").Succeeded();

            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
        }

        [Fact]
        public void KeepsUnknownFieldsThroughASecondChangeAndBacksUpTheFirst()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), OldSystemDatabase);

            session.Run("Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();
            var afterFirst = File.ReadAllText(session.PathOf("database.json"));
            session.Run("Add-Book 'The Alchemist'").Succeeded();

            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            Assert.Equal(2, db.RootElement.GetProperty("version").GetInt32());
            var books = db.RootElement.GetProperty("books");
            Assert.Equal("main", books[0].GetProperty("channel").GetString());
            Assert.Equal("second", books[1].GetProperty("channel").GetString());
            Assert.Equal("The Alchemist", books[2].GetProperty("main_title").GetString());
            Assert.Equal(afterFirst, File.ReadAllText(session.PathOf("database.json.bak")));
        }
    }
}
