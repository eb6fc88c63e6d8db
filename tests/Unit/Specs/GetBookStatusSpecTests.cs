using System;
using System.IO;
using System.Linq;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Commands;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Get-BookStatus.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class GetBookStatusSpecTests
    {
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

        private static BookStatus[] Statuses(PipelineResult result) => result.Objects<BookStatus>().ToArray();

        [Fact]
        public void AWorkspaceWithoutADatabaseHasNoBooksAndGetsNoFile()
        {
            using var session = new PowerShellSession();

            Assert.Empty(session.Run("Get-BookStatus").Succeeded().Output);
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void ReadsEveryFieldOfAOldSystemDatabase()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), OldSystemDatabase);

            var all = Statuses(session.Run("Get-BookStatus").Succeeded());

            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, all.Select(s => s.Title));
            Assert.Equal(("James Clear", BookState.Done, BookAction.Skip), (all[0].Author, all[0].Status, all[0].Action));
            Assert.Equal(("https://youtube.com/watch?v=ah", "https://youtube.com/shorts/ah"), (all[0].YouTubeUrl, all[0].ShortUrl));
            Assert.Equal("2025-10-19_10-30-00_Atomic-Habits", all[0].RunFolder);
            Assert.Equal(new DateTime(2025, 10, 19, 10, 30, 0), all[0].DateAdded);
            Assert.Equal((BookState.Processing, BookAction.Resume, (string?)null), (all[1].Status, all[1].Action, all[1].RunFolder));
        }

        [Fact]
        public void ReadsImportCsvRowsAndBookStatusObjectsAsBooks()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            File.WriteAllText(session.PathOf("books.csv"), "Title,Author\nDeep Work,Cal Newport\nThe Alchemist,Paulo Coelho\n");

            var fromCsv = Statuses(session.Run("Import-Csv books.csv | Get-BookStatus").Succeeded());
            var fromStatus = Statuses(session.Run("Get-BookStatus | Get-BookStatus").Succeeded());

            Assert.Equal(new[] { ("Deep Work", BookState.Processing), ("The Alchemist", BookState.New) }, fromCsv.Select(s => (s.Title, s.Status)));
            Assert.Equal(new[] { ("Deep Work", BookState.Processing) }, fromStatus.Select(s => (s.Title, s.Status)));
        }

        [Fact]
        public void ALineWithTheAuthorFindsOneOfTwoBooksThatShareATitle()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book Meditations 'Marcus Aurelius'; Add-Book Meditations 'Ryan Holiday'").Succeeded();

            var result = session.Run("'Meditations', 'Meditations | Ryan Holiday' | Get-BookStatus");

            Assert.Equal(new[] { "BookAmbiguous" }, result.ErrorIds);
            Assert.Equal(new[] { "Ryan Holiday" }, Statuses(result).Select(s => s.Author));
        }

        [Fact]
        public void ATitleOnlyLineFindsTheOneBookRecordedWithThatTitle()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();

            var status = Statuses(session.Run("'deep work' | Get-BookStatus").Succeeded()).Single();

            Assert.Equal(("Cal Newport", BookState.Processing), (status.Author, status.Status));
        }

        [Fact]
        public void ABadLineIsANonTerminatingInvalidBookLineAndTheOthersAreShown()
        {
            using var session = new PowerShellSession();

            var result = session.Run("' | James Clear', 'Deep Work' | Get-BookStatus");

            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "InvalidBookLine" }, result.ErrorIds);
            Assert.Equal(new[] { "Deep Work" }, Statuses(result).Select(s => s.Title));
        }

        [Fact]
        public void FiltersBooksPipedInToo()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work' 'Cal Newport'; Add-Book 'Digital Minimalism' 'Cal Newport'; " +
                        "Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();

            var statuses = Statuses(session.Run("'Deep Work', 'Atomic Habits', 'Unknown Book' | Get-BookStatus -Status Done, New").Succeeded());

            Assert.Equal(new[] { "Deep Work", "Unknown Book" }, statuses.Select(s => s.Title));
        }

        [Fact]
        public void ALinePipedOverACorruptDatabaseStopsWithBookDatabaseCorrupt()
        {
            using var session = new PowerShellSession();
            var path = session.PathOf("database.json");
            File.WriteAllText(path, "{\"books\": [ {\"main_title\": \"A\"");
            var before = File.ReadAllBytes(path);

            var error = session.Throws("'A' | Get-BookStatus");

            Assert.NotNull(error);
            Assert.StartsWith("BookDatabaseCorrupt,", error!.FullyQualifiedErrorId);
            Assert.Equal(before, File.ReadAllBytes(path));
        }
    }

    /// <summary>The behaviours of tests/Pester/Get-BookStatus.Tests.ps1 that set $env:BOOKBATCH_WORKSPACE, not checked elsewhere in xunit.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class GetBookStatusWorkspaceSpecTests
    {
        [Fact]
        public void AMissingWorkspaceNamedByTheEnvironmentStopsWithWorkspaceNotFoundAndIsNotCreated()
        {
            using var session = new PowerShellSession();
            var missing = session.PathOf("no-such-workspace");
            try
            {
                var error = session.Throws("$env:BOOKBATCH_WORKSPACE = '" + missing + "'; Get-BookStatus");

                Assert.NotNull(error);
                Assert.StartsWith("WorkspaceNotFound,", error!.FullyQualifiedErrorId);
            }
            finally
            {
                session.Run("$env:BOOKBATCH_WORKSPACE = $null");
            }
            Assert.False(Directory.Exists(missing));
            Assert.Null(session.Throws("Get-BookStatus"));
        }

        [Fact]
        public void AMissingWorkspaceNamedByTheParameterIsNotCreated()
        {
            using var session = new PowerShellSession();

            var error = session.Throws("Get-BookStatus -Workspace no-such-workspace");

            Assert.StartsWith("WorkspaceNotFound,", error!.FullyQualifiedErrorId);
            Assert.False(Directory.Exists(session.PathOf("no-such-workspace")));
        }
    }
}
