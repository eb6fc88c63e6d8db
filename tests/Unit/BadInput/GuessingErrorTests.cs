using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// Errors that used to leave the operator guessing: each names its input, has the right category and says what to do
    /// next; nothing on disk changes.
    /// </summary>
    public class GuessingErrorTests
    {
        private static PowerShellSession Workspace()
        {
            var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("bookbatch.json"), "{\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"arguments\": [\"--version\"]}]}");
            session.Run("Add-Book 'Deep Work' 'Cal Newport'").Succeeded();
            return session;
        }

        [Fact]
        public void ABookListThatDoesNotExistSaysWhereItWasLookedFor()
        {
            using var session = Workspace();
            var before = WorkspaceSnapshot.Of(session.Folder);

            var record = Refusal.Assert(session.Run("Invoke-BookBatch -Path nosuch.txt -Confirm:$false"), "BookListNotFound", ErrorCategory.ObjectNotFound,
                "The book list 'nosuch.txt' does not exist", $"the current location, '{session.Folder}'", "pipe the books in");

            Assert.DoesNotContain("Cannot find path", Refusal.Message(record));
            Assert.Equal("nosuch.txt", record.TargetObject);
            Assert.Equal(before.Bytes("database.json"), File.ReadAllBytes(session.PathOf("database.json")));
        }

        [Fact]
        public void RepairWhatIfOverADatabaseAnotherProgramHoldsIsLockedLikeEveryOtherCommand()
        {
            using var session = Workspace();
            using (new FileStream(session.PathOf("database.json"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                var repair = Refusal.Assert(session.Run("Repair-BookDatabase -WhatIf"), "BookDatabaseLocked", ErrorCategory.ResourceBusy,
                    "is locked by another process", "Nothing was changed", "Close that program");
                var add = Refusal.Assert(session.Run("Add-Book 'Atomic Habits'"), "BookDatabaseLocked", ErrorCategory.ResourceBusy);
                Assert.Equal(Refusal.Message(add), Refusal.Message(repair));
                Assert.Equal(session.PathOf("database.json"), repair.TargetObject);
            }
        }

        [Fact]
        public void ACsvRowWithAnEmptyTitleIsNamedByItsNumberAndItsOtherFields()
        {
            using var session = Workspace();
            File.WriteAllText(session.PathOf("books.csv"), "Title,Author\nDeep Work,Cal Newport\n,Jane Doe\nAtomic Habits,James Clear\n");

            var result = session.Run("Import-Csv books.csv | Get-BookStatus");

            var record = Refusal.Assert(result, "InvalidBookInput", ErrorCategory.InvalidData,
                "Row 2 of the input", "Title = ''", "Author = 'Jane Doe'", "its Title is empty", "line 3", "Fill in the title");
            Assert.Equal("Jane Doe", ((PSObject)record.TargetObject).Properties["Author"].Value);
            Assert.Equal(2, result.Output.Count); // the other rows go on
        }

        [Fact]
        public void AnObjectWithoutATitleIsStillSaidToHaveNone()
        {
            using var session = Workspace();
            Refusal.Assert(session.Run("[pscustomobject]@{ Name = 'Deep Work' } | Get-BookStatus"), "InvalidBookInput", ErrorCategory.InvalidData,
                "has no Title property");
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AReadOnlyDatabaseIsRefusedEvenForRootAndNothingChanges()
        {
            using var session = Workspace();
            var database = session.PathOf("database.json");
            File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits | James Clear\n");
            var before = WorkspaceSnapshot.Of(session.Folder);

            foreach (var command in new[] { "Add-Book 'Atomic Habits'", "Complete-Book 'Deep Work' -YouTubeUrl https://youtu.be/x", "Invoke-BookBatch -Path books.txt" })
            {
                var record = Refusal.Assert(session.Run(command), "BookDatabaseReadOnly", ErrorCategory.PermissionDenied,
                    $"The book database '{database}' is read-only", "nothing was changed", $"chmod u+w '{database}'");
                Assert.Equal(database, record.TargetObject);
            }

            // The same bytes, no run folder, no journal (the holds a command takes on a book are not the workspace's data).
            Assert.Equal(before.Bytes("database.json"), File.ReadAllBytes(database));
            Assert.False(Directory.Exists(session.PathOf("runs")) && Directory.EnumerateFileSystemEntries(session.PathOf("runs")).Any());
            Assert.Empty(Directory.Exists(session.PathOf("batches")) ? Directory.GetFiles(session.PathOf("batches"), "*.jsonl") : Array.Empty<string>());
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(database));
            Assert.Single(session.Run("Get-BookStatus").Succeeded().Output); // reading still works
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void ARepairOfAReadOnlyDamagedDatabaseIsRefusedWithoutAKeptCopy()
        {
            using var session = Workspace();
            var database = session.PathOf("database.json");
            File.AppendAllText(database, "garbage");
            File.SetUnixFileMode(database, UnixFileMode.UserRead);
            var before = WorkspaceSnapshot.Of(session.Folder);

            Refusal.Assert(session.Run("Repair-BookDatabase -Confirm:$false"), "BookDatabaseReadOnly", ErrorCategory.PermissionDenied, "chmod u+w");

            before.AssertUnchanged();
            Assert.Empty(Directory.GetFiles(session.Folder, "database.json.damaged-*"));
        }

        [Fact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AWritableDatabaseOfAnotherOwnerIsNotTakenForReadOnly()
        {
            // The owner's write bit decides, not whether the group or others may write.
            using var session = Workspace();
            File.SetUnixFileMode(session.PathOf("database.json"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            session.Run("Add-Book 'Atomic Habits'").Succeeded();
        }
    }
}
