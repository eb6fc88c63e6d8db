using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Engine;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    public class BookCommandTests
    {
        private static void WriteBooks(PowerShellSession session, string text) => File.WriteAllText(session.PathOf("books.txt"), text);

        private static PipelineResult PipeBooks(PowerShellSession session, string command) =>
            session.Run("Get-Content books.txt | " + command);

        [Fact]
        public void GetContentLinesWithCommentsAndABadLineAddTheGoodBooks()
        {
            using var session = new PowerShellSession();
            WriteBooks(session, "# my list\n\nAtomic Habits | James Clear\n | Nobody\nThe Alchemist\n");
            var result = PipeBooks(session, "Add-Book -PassThru");
            Assert.Null(result.Terminating);
            var error = Assert.Single(result.Errors);
            Assert.Equal("InvalidBookLine,BookBatch.Commands.AddBookCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("Line 4", error.ToString());
            Assert.Equal(new[] { "Atomic Habits", "The Alchemist" }, result.Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(2, session.Run("Get-BookStatus").Succeeded().Output.Count);
        }

        [Fact]
        public void MixedCaseAndExtraSpacesFindTheSameBook()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'").Succeeded();
            var status = session.Run("'  atomic   HABITS |  james clear ' | Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal("Atomic Habits", status.Title);
            Assert.Equal(BookState.Processing, status.Status);
            Assert.Equal(BookAction.Resume, status.Action);
            var again = session.Run("'ATOMIC HABITS | James Clear' | Add-Book");
            Assert.Equal(new[] { "BookAlreadyRecorded" }, again.ErrorIds);
            Assert.Single(session.Run("Get-BookStatus").Output);
        }

        [Fact]
        public void PipedBooksGetTheirPlannedAction()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Done Book'; Complete-Book 'Done Book' -YouTubeUrl https://youtube.com/watch?v=1; Add-Book 'Half Book'").Succeeded();
            var statuses = session.Run("'Done Book', 'Half Book', 'New Book | Someone' | Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { (BookState.Done, BookAction.Skip), (BookState.Processing, BookAction.Resume), (BookState.New, BookAction.Process) },
                statuses.Select(s => (s.Status, s.Action)));
            Assert.Equal("https://youtube.com/watch?v=1", statuses[0].YouTubeUrl);
            Assert.False(statuses[2].InDatabase);
            Assert.Equal("Someone", statuses[2].Author);
        }

        [Fact]
        public void FiltersByStatusTitleAndAuthorWithWildcards()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work' 'Cal Newport'; Add-Book 'Digital Minimalism' 'Cal Newport'; " +
                        "Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=2").Succeeded();
            Assert.Equal(new[] { "Deep Work" }, session.Run("Get-BookStatus -Status Done").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(new[] { "Deep Work", "Digital Minimalism" }, session.Run("Get-BookStatus -Author '*newport'").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(new[] { "Atomic Habits" }, session.Run("Get-BookStatus 'atomic*'").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(new[] { "Digital Minimalism" }, session.Run("Get-BookStatus -Status Processing -Author 'Cal*'").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Equal(new[] { "Deep Work" }, session.Run("Get-BookStatus | Where-Object Status -eq done").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void ATitleOnlyLineMatchingTwoBooksIsAnErrorNamingThem()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book Meditations 'Marcus Aurelius'; Add-Book Meditations 'Ryan Holiday'").Succeeded();
            var result = session.Run("'Meditations' | Get-BookStatus");
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("BookAmbiguous,", error.FullyQualifiedErrorId);
            Assert.Contains("Marcus Aurelius", error.ToString());
            Assert.Contains("Ryan Holiday", error.ToString());
            Assert.Equal(new[] { "BookAmbiguous" }, session.Run("Complete-Book Meditations -YouTubeUrl https://youtube.com/watch?v=3").ErrorIds);
        }

        [Fact]
        public void CsvObjectsAndBookStatusObjectsBindAsBooks()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("books.csv"), "Title,Author,Year\nDeep Work,Cal Newport,2016\nThe Alchemist,,1988\n");
            session.Run("Import-Csv books.csv | Add-Book").Succeeded();
            session.Run("Get-BookStatus | Complete-Book -YouTubeUrl https://youtube.com/watch?v=9").Succeeded();
            var statuses = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { ("Deep Work", "Cal Newport"), ("The Alchemist", (string?)null) }, statuses.Select(s => (s.Title, s.Author)));
            Assert.All(statuses, s => Assert.Equal(BookState.Done, s.Status));
        }

        [Fact]
        public void GetContentNotePropertiesNeverBindAsAPath()
        {
            using var session = new PowerShellSession();
            WriteBooks(session, "Atomic Habits | James Clear\n");
            var status = PipeBooks(session, "Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal("Atomic Habits", status.Title);
            Assert.Equal(BookState.New, status.Status);
        }

        [Fact]
        public void AnObjectWithoutATitleIsAClearError()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("names.csv"), "Name\nx\n");
            var result = session.Run("Import-Csv names.csv | Add-Book");
            Assert.Equal(new[] { "InvalidBookInput" }, result.ErrorIds);
            Assert.Contains("Title", result.Errors[0].ToString());
        }

        [Fact]
        public void WhatIfChangesNothing()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' -WhatIf").Succeeded();
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void CompleteBookRecordsUrlsAndRefusesBadOnes()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            Assert.Equal(new[] { "BookUrlInvalid" }, session.Run("Complete-Book 'Deep Work' -YouTubeUrl 'not a url'").ErrorIds);
            Assert.Equal(new[] { "BookNotFound" }, session.Run("Complete-Book 'Shallow Work' -YouTubeUrl https://youtube.com/watch?v=1").ErrorIds);
            var done = session.Run("Complete-Book 'deep work' -YouTubeUrl https://youtube.com/watch?v=1 -ShortUrl https://youtube.com/shorts/2 -PassThru")
                .Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Done, "https://youtube.com/watch?v=1", "https://youtube.com/shorts/2"), (done.Status, done.YouTubeUrl, done.ShortUrl));
        }

        [Fact]
        public void ResetBookFromAStageClearsThatStageAndTheLaterOnes()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"),
                "{\"books\": [{\"main_title\": \"Deep Work\", \"status\": \"done\", \"youtube_url\": \"https://y/1\", \"run_folder\": \"r1\"}]}");
            Directory.CreateDirectory(session.PathOf("runs", "r1"));
            File.WriteAllText(session.PathOf("runs", "r1", "summary.json"),
                "{\"search\": \"success\", \"transcribe\": \"success\", \"process\": \"success\", \"tts\": \"success\", \"render\": \"success\", \"upload\": \"success\", \"shorts\": \"failed\"}");

            Assert.Equal(new[] { "StageNotFound" }, session.Run("Reset-Book 'Deep Work' -FromStage narrate").ErrorIds);
            Assert.Equal(BookState.Done, session.Run("Get-BookStatus").Objects<BookStatus>().Single().Status);

            var status = session.Run("Reset-Book 'Deep Work' -FromStage TTS -PassThru").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Processing, BookAction.Resume), (status.Status, status.Action));
            using var summary = JsonDocument.Parse(File.ReadAllText(session.PathOf("runs", "r1", "summary.json")));
            var states = summary.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString())).ToArray();
            Assert.Equal(new[] { ("search", "success"), ("transcribe", "success"), ("process", "success"), ("tts", (string?)null), ("render", null), ("upload", null), ("shorts", null) }, states);
        }

        [Fact]
        public void FilesWrittenByWindowsPowerShellAreRead()
        {
            using var session = new PowerShellSession();
            // Out-File and '>' in Windows PowerShell 5.1 write UTF-16 (pwsh: -Encoding unicode); Set-Content -Encoding UTF8
            // writes a BOM (pwsh: -Encoding utf8BOM).
            session.Run(@"
                '{""books"": [{""main_title"": ""Deep Work"", ""status"": ""done"", ""youtube_url"": ""https://y/1"", ""run_folder"": ""r1""}]}' |
                    Out-File database.json -Encoding unicode
                New-Item -ItemType Directory runs/r1 | Out-Null
                Set-Content runs/r1/summary.json '{""search"": ""success"", ""tts"": ""success""}' -Encoding utf8BOM").Succeeded();
            Assert.Equal(new byte[] { 0xFF, 0xFE }, File.ReadAllBytes(session.PathOf("database.json")).Take(2));
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, File.ReadAllBytes(session.PathOf("runs", "r1", "summary.json")).Take(3));
            Assert.Equal(BookState.Done, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status);
            session.Run("Reset-Book 'Deep Work' -FromStage tts").Succeeded();
            Assert.Equal(BookState.Processing, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status);
        }

        [Fact]
        public void ResetBookFromAStageOfARunWithoutSummarySaysSo()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Deep Work\", \"status\": \"done\", \"run_folder\": \"r1\"}]}");
            Directory.CreateDirectory(session.PathOf("runs", "r1"));
            var result = session.Run("Reset-Book 'Deep Work' -FromStage tts");
            Assert.Equal(new[] { "StageNotFound" }, result.ErrorIds);
            Assert.Contains("records no stages", result.Errors[0].ToString());
        }

        [Fact]
        public void ResetBookFromAStageNeedsTheRunFolder()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work'").Succeeded();
            Assert.Equal(new[] { "RunFolderNotFound" }, session.Run("Reset-Book 'Deep Work' -FromStage tts").ErrorIds);
        }

        [Fact]
        public void RemoveBookAsksFirstAndKeepsTheRunFolder()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Deep Work\", \"status\": \"done\", \"run_folder\": \"r1\"}]}");
            Directory.CreateDirectory(session.PathOf("runs", "r1"));
            session.Host.Screen.ChoiceAnswer = 0; // "Yes"
            // -PassThru shows what was removed: the book as it was recorded.
            var removed = session.Run("Remove-Book 'Deep Work' -PassThru").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal(("Deep Work", BookState.Done, "r1"), (removed.Title, removed.Status, removed.RunFolder));
            Assert.Single(session.Host.Screen.Prompts);
            Assert.Empty(session.Run("Get-BookStatus").Output);
            Assert.True(Directory.Exists(session.PathOf("runs", "r1")));
        }

        [Fact]
        public void AOldSystemDatabaseIsReadChangedAndWrittenBackWithUnknownFieldsIntact()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), LedgerJsonTests.OldSystemDatabase);
            var statuses = session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, statuses.Select(s => s.Title));
            session.Run("Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();

            using var doc = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            Assert.Equal(2, doc.RootElement.GetProperty("version").GetInt32());
            var books = doc.RootElement.GetProperty("books");
            Assert.Equal("main", books[0].GetProperty("channel").GetProperty("name").GetString());
            Assert.Equal("done", books[1].GetProperty("status").GetString());
            Assert.Equal("https://youtube.com/watch?v=dw", books[1].GetProperty("youtube_url").GetString());
            Assert.Equal("2025-10-20T08:00:00.123456", books[1].GetProperty("date_added").GetString());
            Assert.Equal(LedgerJsonTests.OldSystemDatabase, File.ReadAllText(session.PathOf("database.json.bak")));
        }

        [Fact]
        public void ACorruptDatabaseIsReportedAndLeftByteForByte()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book One; Add-Book Two").Succeeded();
            var path = session.PathOf("database.json");
            File.WriteAllText(path, "{\"books\": [ {\"main_title\": \"One\"");
            var before = File.ReadAllBytes(path);

            foreach (var command in new[] { "Get-BookStatus", "Add-Book Three", "'Four', 'Five' | Add-Book", "Complete-Book One -YouTubeUrl https://y/1" })
            {
                var error = session.Throws(command);
                Assert.NotNull(error);
                Assert.StartsWith("BookDatabaseCorrupt,", error!.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
                Assert.Equal(path, error.TargetObject);
                Assert.Contains("line 1", error.ToString());
                Assert.Contains("Repair-BookDatabase", error.ToString());
                Assert.Equal(before, File.ReadAllBytes(path));
            }

            var report = session.Run("Test-BookDatabase").Succeeded().Objects<BookDatabaseReport>().Single();
            Assert.False(report.IsHealthy);
            Assert.Equal(BookDatabaseIssueKind.Corrupt, report.Issues[0].Kind);
            Assert.Equal(false, session.Run("Test-BookDatabase -Quiet").Succeeded().Output.Single().BaseObject);

            session.Run("Repair-BookDatabase -WhatIf").Succeeded();
            Assert.Equal(before, File.ReadAllBytes(path));

            var steps = session.Run("Repair-BookDatabase -Confirm:$false").Succeeded().Objects<BookDatabaseRepair>().ToList();
            Assert.Contains(steps, s => s.Action == BookDatabaseRepairAction.RestoredBackup);
            Assert.Equal(new[] { "One" }, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            Assert.Single(Directory.GetFiles(session.Folder, "database.json.damaged-*"));
            Assert.True(session.Run("Test-BookDatabase -Quiet").Succeeded().Output.Single().BaseObject is true);
        }

        [Fact]
        public void NewBookWorkspaceWritesTheExampleAndNeverTouchesTheDatabase()
        {
            using var session = new PowerShellSession();
            var folder = session.Run("New-BookWorkspace ws").Succeeded().Output.Single().BaseObject as DirectoryInfo;
            Assert.Equal(session.PathOf("ws"), folder!.FullName);
            foreach (var file in new[] { "bookbatch.json", "database.json", "books.txt", Path.Combine("stages", "example-stage.ps1") })
                Assert.True(File.Exists(session.PathOf("ws", file)), file);
            Assert.True(Directory.Exists(session.PathOf("ws", "runs")));
            Assert.True(Directory.Exists(session.PathOf("ws", "batches")));
            Assert.Empty(new LedgerStore(new BookBatch.Engine.Workspaces.Workspace(session.PathOf("ws"))).Read().Books);

            session.Run("Add-Book Kept -Workspace ws").Succeeded();
            Assert.Equal(new[] { "WorkspaceAlreadyExists" }, session.Run("New-BookWorkspace ws").ErrorIds);
            File.WriteAllText(session.PathOf("ws", "bookbatch.json"), "{}");
            session.Run("New-BookWorkspace ws -Force").Succeeded();
            Assert.Contains("\"stages\"", File.ReadAllText(session.PathOf("ws", "bookbatch.json")));
            Assert.Equal(new[] { "Kept" }, session.Run("Get-BookStatus -Workspace ws").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void TheStatusTableReadsLikeTheOldSystemsPreflightTable()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Complete-Book 'Atomic Habits' -YouTubeUrl https://youtube.com/watch?v=abc; Add-Book 'Deep Work'").Succeeded();
            session.Run("Get-BookStatus | Out-Default").Succeeded();
            var lines = session.ScreenText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            Assert.Matches(@"^Title\s+Author\s+Status\s+Action\s+Details$", lines[0]);
            Assert.Matches(@"^Atomic Habits\s+James Clear\s+Done\s+Skip\s+https://youtube.com/watch\?v=abc$", lines[2]);
            Assert.Matches(@"^Deep Work\s+Processing\s+Resume$", lines[3]);
        }

        [Fact]
        public void OldSystemKeyNamesWorkOnStatusObjects()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            Assert.Equal("Cal Newport", session.Run("(Get-BookStatus).author_name").Succeeded().Output.Single().ToString());
        }
    }
}
