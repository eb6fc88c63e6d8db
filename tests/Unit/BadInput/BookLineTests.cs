using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// Book lines whose title cannot be read cleanly are never started: InvalidBookLine naming the file and the line,
    /// with an excerpt of the line; the good lines around them go on.
    /// </summary>
    public class BookLineTests
    {
        [Theory]
        [InlineData("Atomic\0Habits | James Clear", "NUL")]
        [InlineData("Atomic\u0007Habits", "U+0007")]
        [InlineData("Atomic Habits\u001b[31m | James Clear", "U+001B")]
        [InlineData("Caf\uFFFD | Someone", "U+FFFD")]
        [InlineData("Broken \uD800 half", "U+")] // a lone surrogate (it may reach the cmdlet as U+FFFD)
        public void APipedLineWithAControlCharacterOrUnreadableTextIsRefused(string line, string what)
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Atomic Habits\", \"author_name\": \"James Clear\", \"status\": \"done\"}]}");
            var before = WorkspaceSnapshot.Of(session.Folder);

            var result = session.Run("$args[0] | Get-BookStatus", line);

            Refusal.Assert(result, "InvalidBookLine", ErrorCategory.InvalidData, what, "cannot be read cleanly", "Title | Author");
            Assert.Empty(result.Output); // NUL is not a space: it matched the real book before
            before.AssertUnchanged();
        }

        [Fact]
        public void ALineFromGetContentIsNamedWithItsFileAndLine()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("books.txt"), "Deep Work | Cal Newport\nBad\u0001Line\n");
            var result = session.Run("Get-Content books.txt | Get-BookStatus");
            Refusal.Assert(result, "InvalidBookLine", ErrorCategory.InvalidData, $"Line 2 of '{session.PathOf("books.txt")}'", "U+0001");
        }

        [Fact]
        public void AnObjectWithAControlCharacterInItsTitleIsRefused()
        {
            using var session = new PowerShellSession();
            var result = session.Run("[pscustomobject]@{ Title = \"Deep`0Work\"; Author = 'Cal Newport' } | Get-BookStatus");
            Refusal.Assert(result, "InvalidBookInput", ErrorCategory.InvalidData, "NUL");
            Assert.Empty(result.Output);
        }

        [Fact]
        public void AMegabyteLineIsQuotedAsAnExcerptWithItsFileAndLine()
        {
            using var batch = new BatchFixture();
            var huge = new string('x', 1024 * 1024);
            var list = batch.WriteBooks("Fine Book | Someone", huge);
            var before = WorkspaceSnapshot.Of(batch.Workspace);

            var result = batch.Session.Run("Invoke-BookBatch -Path books.txt -WhatIf");

            var record = Refusal.Assert(result, "InvalidBookLine", ErrorCategory.InvalidData, "Line 2 of '" + list + "'", "longer than 500");
            Assert.True(Refusal.Message(record).Length < 1000, "the message repeats the whole line");
            before.AssertUnchanged();
        }

        [Fact]
        public void AListSavedAsUtf16WithoutABomIsReadAsText()
        {
            using var batch = new BatchFixture();
            var path = batch.Session.PathOf("books.txt");
            File.WriteAllBytes(path, new UnicodeEncoding(false, false).GetBytes("Atomic Habits | James Clear\r\nCafé Stories | Ana\r\n"));

            var result = batch.Session.Run("Invoke-BookBatch -Path books.txt -DelaySeconds 0").Succeeded();

            Assert.Equal(new[] { "Atomic Habits", "Café Stories" }, result.Objects<BookBatchResult>().Select(r => r.Title));
            Assert.Equal(new[] { "James Clear", "Ana" }, result.Objects<BookBatchResult>().Select(r => r.Author));
        }

        [Fact]
        public void Windows1252BytesAreRefusedNamingFileAndLineAndTheBookIsNeverStarted()
        {
            using var batch = new BatchFixture();
            var path = batch.Session.PathOf("books.txt");
            // "Café" in Windows-1252: 0xE9 is not UTF-8.
            File.WriteAllBytes(path, new byte[] { (byte)'O', (byte)'k', (byte)'\n', (byte)'C', (byte)'a', (byte)'f', 0xE9, (byte)' ', (byte)'|', (byte)' ', (byte)'A', (byte)'\n' });

            var result = batch.Session.Run("Invoke-BookBatch -Path books.txt -DelaySeconds 0");

            Refusal.Assert(result, "InvalidBookLine", ErrorCategory.InvalidData, "Line 2 of '" + path + "'", "0xE9", "Windows-1252", "UTF-8");
            Assert.Equal(new[] { "Ok" }, result.Objects<BookBatchResult>().Select(r => r.Title));
            Assert.DoesNotContain(batch.StageRuns(), r => r.Title.StartsWith("Caf", StringComparison.Ordinal));
            Assert.DoesNotContain("Caf", File.ReadAllText(batch.Session.PathOf("database.json")));
        }

        [Fact]
        public void APipedLineDroppedAsACommentWarns()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": []}");
            var result = session.Run("'#GIRLBOSS | Sophia Amoruso' | Get-BookStatus -WarningVariable w -WarningAction SilentlyContinue; $w").Succeeded();

            var warning = Assert.Single(result.Objects<WarningRecord>());
            Assert.Contains("'#GIRLBOSS | Sophia Amoruso'", warning.Message);
            Assert.Contains("comment", warning.Message);
            Assert.Contains("Title =", warning.Message);
        }

        [Fact]
        public void CommentLinesOfAFileDoNotWarn()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("books.txt"), "# my list\nDeep Work | Cal Newport\n");
            var result = session.Run("Get-Content books.txt | Get-BookStatus -WarningVariable w -WarningAction SilentlyContinue; $w").Succeeded();
            Assert.DoesNotContain(result.Objects<WarningRecord>(), w => w.Message.Contains("comment"));
        }
    }
}
