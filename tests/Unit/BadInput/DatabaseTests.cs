using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>database.json that cannot be used: said in words about database.json, with the way out; nothing on disk changes.</summary>
    public class DatabaseTests
    {
        private const string OneBook = "{\n  \"books\": [\n    {\"main_title\": \"Deep Work\", \"author_name\": \"Cal Newport\", \"status\": \"processing\"}\n  ]\n}\n";

        [Fact]
        public void ADatabaseThatIsAFolderIsSaidToBeAFolderNotEmpty()
        {
            using var session = new PowerShellSession();
            Directory.CreateDirectory(session.PathOf("database.json"));
            var before = WorkspaceSnapshot.Of(session.Folder);

            var result = session.Run("Get-BookStatus");

            Refusal.Assert(result, "BookDatabaseIOError", ErrorCategory.ReadError, "database.json", "is a folder, not a file", "Move the folder away");
            Assert.Empty(result.Output);
            before.AssertUnchanged();
        }

        [Fact]
        public void InvalidUtf8InsideTheDatabaseIsCorruptWithFileLineAndTheWayOut()
        {
            using var session = new PowerShellSession();
            var bytes = Encoding.UTF8.GetBytes(OneBook.Replace("Deep Work", "Deep W\u00e9rk"));
            // The 'é' as Windows-1252 wrote it: one byte 0xE9, not UTF-8, on line 3.
            var text = Encoding.UTF8.GetString(bytes);
            bytes = Encoding.Latin1.GetBytes(text);
            File.WriteAllBytes(session.PathOf("database.json"), bytes);
            var before = WorkspaceSnapshot.Of(session.Folder);

            var result = session.Run("Get-BookStatus");

            var column = OneBook.Split('\n')[2].IndexOf("Deep W", StringComparison.Ordinal) + "Deep W".Length + 1;
            var record = Refusal.Assert(result, "BookDatabaseCorrupt", ErrorCategory.InvalidData, "database.json", $"line 3, column {column}:", "not UTF-8", "Repair-BookDatabase");
            Assert.IsNotType<InvalidOperationException>(record.Exception);
            before.AssertUnchanged();
        }

        [Fact]
        public void TheRepairReadsBackABookWhoseBytesAreWindows1252RatherThanDropIt()
        {
            using var session = new PowerShellSession();
            File.WriteAllBytes(session.PathOf("database.json"), Encoding.Latin1.GetBytes(OneBook.Replace("Deep Work", "Caf\u00e9 Stories")));

            session.Run("Repair-BookDatabase -Confirm:$false").Succeeded();

            var book = Assert.Single(session.Run("Get-BookStatus").Succeeded().Objects<BookBatch.Engine.Planning.BookStatus>());
            Assert.Equal(("Caf\u00e9 Stories", "Cal Newport"), (book.Title, book.Author));
        }

        [Theory]
        [InlineData("{\"books\": [", "ends too early")]
        [InlineData("{\"books\": [] \"version\": 2}", "',' or a closing")]
        public void ParserFaultsUseOneOneBasedLineAndColumnAndTheProjectsWords(string content, string what)
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), content);
            var before = WorkspaceSnapshot.Of(session.Folder);

            var record = Refusal.Assert(session.Run("Get-BookStatus"), "BookDatabaseCorrupt", ErrorCategory.InvalidData, "line 1, column", what);

            Assert.DoesNotContain("LineNumber", Refusal.Message(record));
            Assert.DoesNotContain("BytePositionInLine", Refusal.Message(record));
            before.AssertUnchanged();
        }

        [Fact]
        public void NestingTooDeepIsSaidInTheProjectsWords()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [], \"x\": " + new string('[', 80) + new string(']', 80) + "}");
            var record = Refusal.Assert(session.Run("Get-BookStatus"), "BookDatabaseCorrupt", ErrorCategory.InvalidData, "nested too deep");
            Assert.DoesNotContain("maximum configured depth", Refusal.Message(record));
        }

        [Fact]
        public void ADatabaseLockedByAnotherProcessIsLockedEvenForARead()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded(); // the workspace lock's file is there, as after any change
            var before = WorkspaceSnapshot.Of(session.Folder);
            // Another program holds it open without sharing (FileShare.None: a sharing lock on Windows, flock on Unix).
            using (new FileStream(session.PathOf("database.json"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var read = session.Run("Get-BookStatus");
                Refusal.Assert(read, "BookDatabaseLocked", ErrorCategory.ResourceBusy, "database.json", "locked by another process", "Close that program");
                var write = session.Run("Add-Book 'Atomic Habits' 'James Clear'");
                Refusal.Assert(write, "BookDatabaseLocked", ErrorCategory.ResourceBusy, "database.json", "try again");
            }
            before.AssertUnchanged();
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AReadOnlyDatabaseIsNamedWithThePermissionNotATemporaryFile()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            var before = WorkspaceSnapshot.Of(session.Folder);
            using (ReadOnly.Make(session.PathOf("database.json"), session.Folder))
            {
                var result = session.Run("Add-Book 'Atomic Habits' 'James Clear'");

                var record = Refusal.Assert(result, "BookDatabaseIOError", ErrorCategory.PermissionDenied, "database.json", "cannot be written: permission denied", "write permission");
                Assert.DoesNotContain(".tmp", Refusal.Message(record));
            }
            before.AssertUnchanged();
        }
    }
}
