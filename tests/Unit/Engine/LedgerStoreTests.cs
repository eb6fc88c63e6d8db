using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Ledger;
using Xunit;
using BookBatch.Engine.Storage;

namespace BookBatch.Tests.Engine
{
    public class LedgerStoreTests
    {
        [Fact]
        public void AMissingDatabaseIsAnEmptyLedger()
        {
            using var temp = new TempWorkspace();
            Assert.Empty(new LedgerStore(temp.Workspace).Read().Books);
        }

        [Fact]
        public void AChangeKeepsThePreviousGoodCopyAsBackup()
        {
            using var temp = new TempWorkspace();
            var store = new LedgerStore(temp.Workspace);
            store.Update(l => (true, l.Add(new Book("One"), DateTime.Now)));
            var first = File.ReadAllBytes(temp.Workspace.DatabasePath);
            store.Update(l => (true, l.Add(new Book("Two"), DateTime.Now)));
            Assert.Equal(first, File.ReadAllBytes(temp.Workspace.BackupPath));
            Assert.Equal(new[] { "One", "Two" }, store.Read().Books.Select(b => b.Book.Title));
            Assert.Empty(Directory.GetFiles(temp.Workspace.Root, "*.tmp"));
        }

        [Fact]
        public void TheTemporaryFileOfAWriterKilledMidWriteIsDeletedByTheNextChange()
        {
            using var temp = new TempWorkspace();
            var store = new LedgerStore(temp.Workspace);
            store.Update(l => (true, l.Add(new Book("One"), DateTime.Now)));
            // What a host killed between creating its temporary file and renaming it leaves; other files stay.
            var stray = temp.Write(".database.json.0badf00d.tmp", "{\"books\": [");
            var other = temp.Write(".summary.json.0badf00d.tmp", "{}");

            new LedgerStore(temp.Workspace).Update(l => (true, l.Add(new Book("Two"), DateTime.Now)));

            Assert.False(File.Exists(stray));
            Assert.True(File.Exists(other));
            Assert.Equal(new[] { "One", "Two" }, store.Read().Books.Select(b => b.Book.Title));
        }

        [Fact]
        public void TheLedgerAsWrittenIsReadWhileABatchHoldsTheLockAndParsedAgainOnlyWhenTheFileChanged()
        {
            using var temp = new TempWorkspace();
            var writer = new LedgerStore(temp.Workspace);
            writer.Update(l => (true, l.Add(new Book("One"), DateTime.Now)));
            var reader = new LedgerStore(temp.Workspace) { LockTimeout = TimeSpan.FromMilliseconds(50) };

            BookLedger first, again;
            using (var held = WorkspaceLock.TryAcquire(temp.Workspace.LockPath)) // what a batch changing the ledger holds
            {
                Assert.NotNull(held);
                first = reader.ReadAsWritten();
                again = reader.ReadAsWritten();
            }

            Assert.Equal(new[] { "One" }, first.Books.Select(b => b.Book.Title));
            Assert.Same(first, again);
            writer.Update(l => (true, l.Add(new Book("Two"), DateTime.Now)));
            Assert.Equal(new[] { "One", "Two" }, reader.ReadAsWritten().Books.Select(b => b.Book.Title));
        }

        [Fact]
        public void TheLedgerAsWrittenOfADamagedFileThrowsWithItsPosition()
        {
            using var temp = new TempWorkspace();
            temp.Write("database.json", "{\"books\": [");
            var e = Assert.Throws<LedgerCorruptException>(() => new LedgerStore(temp.Workspace).ReadAsWritten());
            Assert.Equal((temp.Workspace.DatabasePath, 1L), (e.Path, e.Line));
        }

        [Fact]
        public void NothingIsWrittenWhenTheChangeSaysNothingChanged()
        {
            using var temp = new TempWorkspace();
            new LedgerStore(temp.Workspace).Update(l => (false, 0));
            Assert.False(File.Exists(temp.Workspace.DatabasePath));
        }

        [Fact]
        public void ADamagedDatabaseIsNeverOverwritten()
        {
            using var temp = new TempWorkspace();
            var path = temp.Write("database.json", "{\"books\": [ {\"main_title\": \"A\"");
            var before = File.ReadAllBytes(path);
            var store = new LedgerStore(temp.Workspace);
            Assert.Throws<LedgerCorruptException>(() => store.Update(l => (true, l.Add(new Book("B"), DateTime.Now))));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.False(File.Exists(temp.Workspace.BackupPath));
        }

        [Fact]
        public void AFailedChangeLeavesTheFileAsItWas()
        {
            using var temp = new TempWorkspace();
            var store = new LedgerStore(temp.Workspace);
            store.Update(l => (true, l.Add(new Book("One"), DateTime.Now)));
            var before = File.ReadAllBytes(temp.Workspace.DatabasePath);
            Assert.Throws<BookNotFoundException>(() => store.Update<LedgerEntry>(l => (true, l.FindExisting(new Book("Missing")))));
            Assert.Equal(before, File.ReadAllBytes(temp.Workspace.DatabasePath));
        }

        [Fact]
        public void TheWorkspaceLockIsExclusiveAndTimesOut()
        {
            using var temp = new TempWorkspace();
            using (var held = WorkspaceLock.Acquire(temp.Workspace.LockPath, TimeSpan.FromSeconds(1), CancellationToken.None))
            {
                Assert.Null(WorkspaceLock.TryAcquire(temp.Workspace.LockPath));
                var store = new LedgerStore(temp.Workspace) { LockTimeout = TimeSpan.FromMilliseconds(200) };
                var e = Assert.Throws<WorkspaceLockedException>(() => store.Update(l => (true, 0)));
                Assert.Contains("Nothing was changed", e.Message);
            }
            using var again = WorkspaceLock.TryAcquire(temp.Workspace.LockPath);
            Assert.NotNull(again);
        }

        [Fact]
        public void WaitingForTheLockObservesCancellation()
        {
            using var temp = new TempWorkspace();
            using var held = WorkspaceLock.Acquire(temp.Workspace.LockPath, TimeSpan.FromSeconds(1), CancellationToken.None);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.ThrowsAny<OperationCanceledException>(() => WorkspaceLock.Acquire(temp.Workspace.LockPath, TimeSpan.FromMinutes(5), cancel.Token));
        }

        [Fact]
        public void ConcurrentWritersInOneProcessLoseNothing()
        {
            using var temp = new TempWorkspace();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                var store = new LedgerStore(temp.Workspace);
                for (var i = 0; i < 25; i++) store.Update(l => (true, l.Add(new Book($"T{t} book {i}"), DateTime.Now)));
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.Equal(100, new LedgerStore(temp.Workspace).Read().Books.Count);
            using var _ = JsonDocument.Parse(File.ReadAllBytes(temp.Workspace.DatabasePath));
        }
    }
}
