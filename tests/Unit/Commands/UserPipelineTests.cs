using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    /// <summary>
    /// The pipelines an operator types, run as typed in the full PowerShell engine: the module's cmdlets together with
    /// Get-Content, Where-Object, Select-Object, Import-Csv, Export-Csv and ConvertTo-Json. Input files are written
    /// as an editor or a spreadsheet would write them; what comes out is read the way the user would read it back.
    /// </summary>
    public class UserPipelineTests
    {
        private static BookBatchResult[] Results(PipelineResult result) => result.Objects<BookBatchResult>().ToArray();

        private static void Write(PowerShellSession session, string file, params string[] lines) =>
            File.WriteAllText(session.PathOf(file), string.Join("\n", lines) + "\n");

        /// <summary>A PSCustomObject's note property, as a script reads <c>$row.Name</c>.</summary>
        private static object? Value(PSObject row, string name) => row.Properties[name]?.Value is PSObject wrapped ? wrapped.BaseObject : row.Properties[name]?.Value;

        [Fact]
        public void GetContentOfABookListRunsEachBookWithThePrivacyGiven()
        {
            using var batch = new BatchFixture();
            // The workspace's own default is another privacy: only the parameter can make the stages see 'unlisted'.
            var settings = batch.Session.PathOf("bookbatch.json");
            File.WriteAllText(settings, File.ReadAllText(settings).Replace("\"privacy\": \"unlisted\"", "\"privacy\": \"private\""));
            Write(batch.Session, "books.txt", "# this week", "Atomic Habits | James Clear", "", "Deep Work");

            var results = Results(batch.Session.Run("Get-Content books.txt | Invoke-BookBatch -Privacy Unlisted").Succeeded());

            Assert.Equal(new[] { (1, "Atomic Habits", (string?)"James Clear", BookOutcome.Success), (2, "Deep Work", null, BookOutcome.Success) },
                results.Select(r => (r.Index, r.Title, r.Author, r.Outcome)));
            Assert.Equal(new[] { "https://youtube.example/watch?v=AtomicHabits", "https://youtube.example/watch?v=DeepWork" }, results.Select(r => r.YouTubeUrl));
            Assert.All(results, r => Assert.Equal(BatchFixture.StageNames, r.StagesRun));
            var runs = batch.StageRuns();
            Assert.Equal(14, runs.Count);
            Assert.All(runs, r => Assert.Equal("unlisted", r.Privacy));
            Assert.Equal(BatchFixture.StageNames, runs.Where(r => r.Title == "Deep Work").Select(r => r.Stage));
            Assert.All(runs.Where(r => r.Title == "Atomic Habits"), r => Assert.Equal("James Clear", r.Author));
        }

        [Fact]
        public void StatusesFilteredWithWhereObjectAndShapedWithSelectObject()
        {
            using var session = new PowerShellSession();
            Write(session, "books.txt", "Atomic Habits | James Clear", "Deep Work | Cal Newport", "The Alchemist");
            session.Run("Get-Content books.txt | Add-Book; Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();

            var rows = session.Run("Get-BookStatus | Where-Object Status -eq processing | Select-Object Title, Author, Status").Succeeded().Output;

            Assert.All(rows, row => Assert.Equal(new[] { "Title", "Author", "Status" }, row.Properties.Select(p => p.Name)));
            Assert.Equal(new[] { ("Atomic Habits", (object?)"James Clear", (object?)BookState.Processing), ("The Alchemist", null, BookState.Processing) },
                rows.Select(row => ((string)Value(row, "Title")!, Value(row, "Author"), Value(row, "Status"))));

            session.Run("Get-BookStatus | Where-Object Status -eq processing | Select-Object Title, Author, Status | Out-Default").Succeeded();
            var lines = session.ScreenText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            Assert.Matches(@"^Title\s+Author\s+Status$", lines[0]);
            Assert.Matches(@"^Atomic Habits\s+James Clear\s+Processing$", lines[2]);
            Assert.Matches(@"^The Alchemist\s+Processing$", lines[3]);
            Assert.Equal(4, lines.Count);
        }

        [Fact]
        public void ImportCsvRowsRunAsBooks()
        {
            using var batch = new BatchFixture();
            // A spreadsheet's export: a header row, a column BookBatch does not know, an empty author, a quoted comma.
            Write(batch.Session, "books.csv", "Title,Author,Year", "Deep Work,Cal Newport,2016", "The Alchemist,,1988", "\"Sapiens, a Brief History\",Yuval Noah Harari,2011");

            var results = Results(batch.Session.Run("Import-Csv books.csv | Invoke-BookBatch").Succeeded());

            Assert.Equal(new[] { ("Deep Work", (string?)"Cal Newport"), ("The Alchemist", null), ("Sapiens, a Brief History", "Yuval Noah Harari") },
                results.Select(r => (r.Title, r.Author)));
            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.Equal(new[] { "Deep Work", "The Alchemist", "Sapiens, a Brief History" },
                batch.StageRuns().Where(r => r.Stage == "search").Select(r => r.Title));
            Assert.Equal(new[] { "Cal Newport", "", "Yuval Noah Harari" }, batch.StageRuns().Where(r => r.Stage == "upload").Select(r => r.Author));
            Assert.All(batch.Session.Run("Import-Csv books.csv | Get-BookStatus").Succeeded().Objects<BookStatus>(),
                s => Assert.Equal((BookState.Done, BookAction.Skip), (s.Status, s.Action)));
        }

        [Fact]
        public void ImportCsvRowsAddBooksAndLookThemUp()
        {
            using var session = new PowerShellSession();
            Write(session, "books.csv", "Title,Author", "Atomic Habits,James Clear", "Deep Work,Cal Newport");

            var added = session.Run("Import-Csv books.csv | Add-Book -PassThru").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { ("Atomic Habits", (string?)"James Clear"), ("Deep Work", "Cal Newport") }, added.Select(s => (s.Title, s.Author)));
            Assert.All(added, s => Assert.True(s.InDatabase));

            Write(session, "wanted.csv", "Title,Author", "atomic habits,JAMES CLEAR", "Digital Minimalism,Cal Newport");
            var statuses = session.Run("Import-Csv wanted.csv | Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { ("Atomic Habits", BookState.Processing, BookAction.Resume), ("Digital Minimalism", BookState.New, BookAction.Process) },
                statuses.Select(s => (s.Title, s.Status, s.Action)));
        }

        [Fact]
        public void ACsvRowWithoutATitleIsAnErrorAndTheOtherRowsAreAdded()
        {
            using var session = new PowerShellSession();
            Write(session, "books.csv", "Title,Author", ",Nobody", "Deep Work,Cal Newport");
            var result = session.Run("Import-Csv books.csv | Add-Book -PassThru");
            Assert.Equal(new[] { "InvalidBookInput" }, result.ErrorIds);
            Assert.Equal(ErrorCategory.InvalidData, result.Errors[0].CategoryInfo.Category);
            Assert.Equal(new[] { "Deep Work" }, result.Objects<BookStatus>().Select(s => s.Title));
        }

        [Fact]
        public void TheOldSystemDatabaseReadWithConvertFromJsonPipesIntoGetBookStatus()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'; Add-Book 'The Alchemist'; Complete-Book 'The Alchemist' -YouTubeUrl https://youtube.com/watch?v=a").Succeeded();
            // The old system's entries carry main_title and author_name: they bind as books too.
            var statuses = session.Run("(Get-Content database.json -Raw | ConvertFrom-Json).books | Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { ("Deep Work", (string?)"Cal Newport", BookState.Processing), ("The Alchemist", null, BookState.Done) },
                statuses.Select(s => (s.Title, s.Author, s.Status)));
        }

        [Fact]
        public void StatusesExportedToCsvImportBackWithTheirTitles()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Sapiens, a Brief History'; Add-Book 'Deep Work' 'Cal Newport'; " +
                        "Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();

            var exported = session.Run("Get-BookStatus | Export-Csv statuses.csv");
            Assert.Empty(exported.Succeeded().Output);
            var rows = session.Run("Import-Csv statuses.csv").Succeeded().Output;

            Assert.Equal(new[] { "Atomic Habits", "Sapiens, a Brief History", "Deep Work" }, rows.Select(r => (string)Value(r, "Title")!));
            Assert.Equal(new[] { "James Clear", "", "Cal Newport" }, rows.Select(r => (string)Value(r, "Author")!));
            Assert.Equal(new[] { "Processing", "Processing", "Done" }, rows.Select(r => (string)Value(r, "Status")!));
            Assert.Equal(new[] { "Resume", "Resume", "Skip" }, rows.Select(r => (string)Value(r, "Action")!));
            Assert.Equal("https://youtube.com/watch?v=dw", Value(rows[2], "YouTubeUrl"));
            // Each field once: the old system's key names are hidden aliases, on the objects but not in the file.
            Assert.Null(Value(rows[0], "main_title"));
            Assert.Equal("Atomic Habits", session.Run("(Get-BookStatus)[0].main_title").Succeeded().Output.Single().ToString());

            // And the file feeds the cmdlets again: the same books, found in the database.
            var again = session.Run("Import-Csv statuses.csv | Get-BookStatus").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { "Atomic Habits", "Sapiens, a Brief History", "Deep Work" }, again.Select(s => s.Title));
            Assert.All(again, s => Assert.True(s.InDatabase));
        }

        [Fact]
        public void BatchResultsExportToCsv()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();

            var exported = batch.Session.Run("'Atomic Habits | James Clear', 'Done' | Invoke-BookBatch | Export-Csv results.csv").Succeeded();
            Assert.Empty(exported.Output);
            var rows = batch.Session.Run("Import-Csv results.csv").Succeeded().Output;

            Assert.Equal(new[] { ("1", "Atomic Habits", "James Clear", "Success"), ("2", "Done", "", "Skipped") },
                rows.Select(r => ((string)Value(r, "Index")!, (string)Value(r, "Title")!, (string)Value(r, "Author")!, (string)Value(r, "Outcome")!)));
            Assert.Equal(new[] { "https://youtube.example/watch?v=AtomicHabits", "https://youtube.com/watch?v=d" }, rows.Select(r => (string)Value(r, "YouTubeUrl")!));
            Assert.Equal("Already completed", Value(rows[1], "Reason"));
            Assert.Equal("Atomic Habits | James Clear", Value(rows[0], "Book"));
            var status = batch.Session.Run("Get-BookStatus 'Atomic Habits'").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal(status.RunFolder, Value(rows[0], "RunFolder"));
            var batchId = (string)Value(rows[0], "BatchId")!;
            Assert.True(File.Exists(batch.Session.PathOf("batches", batchId + ".jsonl")), batchId);
        }

        [Fact]
        public void BatchResultsConvertToJson()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            batch.FailAt("render");

            var result = batch.Session.Run("'Atomic Habits | James Clear', 'Done' | Invoke-BookBatch | ConvertTo-Json");
            // Whether the failed book is also an error record is AFailedBookInAPipelineIsAlsoAnError's concern; its result is in the JSON.
            Assert.Null(result.Terminating);
            using var json = JsonDocument.Parse((string)result.Output.Single().BaseObject);

            var books = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(new[] { "Atomic Habits", "Done" }, books.Select(b => b.GetProperty("Title").GetString()));
            Assert.Equal(new[] { "James Clear", null }, books.Select(b => b.GetProperty("Author").GetString()));
            Assert.Equal(new[] { 1, 2 }, books.Select(b => b.GetProperty("Index").GetInt32()));
            Assert.Contains("stage 'render' failed", books[0].GetProperty("Error").GetString());
            Assert.Equal(books[0].GetProperty("Error").GetString(), books[0].GetProperty("Details").GetString());
            Assert.Equal(new[] { "search", "transcribe", "process", "tts", "render" }, books[0].GetProperty("StagesRun").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(("Already completed", "https://youtube.com/watch?v=d"), (books[1].GetProperty("Reason").GetString(), books[1].GetProperty("YouTubeUrl").GetString()));
            Assert.Equal(JsonValueKind.Null, books[1].GetProperty("Error").ValueKind);

            // With the enums as names, as a user asks for them, the outcome reads as in the table.
            var named = batch.Session.Run("'Done' | Invoke-BookBatch | ConvertTo-Json -EnumsAsStrings").Succeeded();
            using var one = JsonDocument.Parse((string)named.Output.Single().BaseObject);
            Assert.Equal(("Done", "Skipped"), (one.RootElement.GetProperty("Title").GetString(), one.RootElement.GetProperty("Outcome").GetString()));
        }

        [Fact]
        public void StatusesConvertToJsonWithTheirTitles()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Add-Book 'Deep Work'; Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();
            var text = (string)session.Run("Get-BookStatus | ConvertTo-Json").Succeeded().Output.Single().BaseObject;
            using var json = JsonDocument.Parse(text);
            var books = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, books.Select(b => b.GetProperty("Title").GetString()));
            Assert.Equal(new[] { "James Clear", null }, books.Select(b => b.GetProperty("Author").GetString()));
            Assert.Equal(new[] { null, "https://youtube.com/watch?v=dw" }, books.Select(b => b.GetProperty("YouTubeUrl").GetString()));
            Assert.All(books, b => Assert.True(b.GetProperty("InDatabase").GetBoolean()));
        }
    }
}
