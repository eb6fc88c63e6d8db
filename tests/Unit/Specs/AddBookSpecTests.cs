using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Add-Book.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class AddBookSpecTests
    {
        [Fact]
        public void WritesTheOldSystemsFormatWithADateToTheSecond()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits | James Clear\n");

            session.Run("Get-Content books.txt | Add-Book").Succeeded();

            var text = File.ReadAllText(session.PathOf("database.json"));
            using var db = JsonDocument.Parse(text);
            var book = Assert.Single(db.RootElement.GetProperty("books").EnumerateArray());
            Assert.Equal("Atomic Habits", book.GetProperty("main_title").GetString());
            Assert.Equal("James Clear", book.GetProperty("author_name").GetString());
            Assert.Equal("processing", book.GetProperty("status").GetString());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$", book.GetProperty("date_added").GetString());
        }

        [Fact]
        public void SplitsATitleThatContainsABarOnTheLastSpacedBar()
        {
            using var session = new PowerShellSession();

            var added = session.Run("'Sense | Sensibility | Jane Austen' | Add-Book -PassThru").Succeeded().Objects<BookStatus>().Single();

            Assert.Equal(("Sense | Sensibility", "Jane Austen"), (added.Title, added.Author));
            using var db = JsonDocument.Parse(File.ReadAllText(session.PathOf("database.json")));
            Assert.Equal("Sense | Sensibility", db.RootElement.GetProperty("books")[0].GetProperty("main_title").GetString());
        }

        [Fact]
        public void AnObjectWithoutATitleCreatesNoDatabase()
        {
            using var session = new PowerShellSession();

            var result = session.Run("[pscustomobject]@{ Name = 'Deep Work' } | Add-Book");

            Assert.Equal(new[] { "InvalidBookInput" }, result.ErrorIds);
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void ReturnsTheNewStatusWithPassThruAndNothingWithout()
        {
            using var session = new PowerShellSession();

            var quiet = session.Run("Add-Book 'Atomic Habits' 'James Clear'").Succeeded();
            var status = session.Run("Add-Book 'Deep Work' -PassThru").Succeeded().Output.Single().BaseObject;

            Assert.Empty(quiet.Output);
            var added = Assert.IsType<BookStatus>(status);
            Assert.Equal(("Deep Work", BookState.Processing, BookAction.Resume, true), (added.Title, added.Status, added.Action, added.InDatabase));
            Assert.NotNull(added.DateAdded);
        }

        [Fact]
        public void ABookAlreadyRecordedIsRefusedAndTheDatabaseStaysByteForByte()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'").Succeeded();
            var before = File.ReadAllBytes(session.PathOf("database.json"));

            var result = session.Run("'  atomic   HABITS | james clear ' | Add-Book");

            Assert.Equal(new[] { "BookAlreadyRecorded" }, result.ErrorIds);
            Assert.Equal(before, File.ReadAllBytes(session.PathOf("database.json")));
            Assert.Single(session.Run("Get-BookStatus").Succeeded().Output);
        }

        [Fact]
        public void GoesOnWithTheOtherBooksAfterADuplicate()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'").Succeeded();

            var result = session.Run("'Atomic Habits | James Clear', 'Deep Work | Cal Newport' | Add-Book");

            Assert.Equal(new[] { "BookAlreadyRecorded" }, result.ErrorIds);
            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title));
        }
    }
}
