using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Tests.Batches.Scheduling;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class BookRecordsTests
    {
        // The file store, with every write it is asked for counted.
        private static CountedCoordination Counted(TempWorkspace temp) => new(new FileCoordination(temp.Workspace));

        private static readonly Book First = new("First Book", null);
        private static readonly Book Second = new("Second Book", "An Author");

        [Fact]
        public void AFinishedBooksEndIsWrittenWithTheNextBooksStartInOneWrite()
        {
            using var temp = new TempWorkspace();
            var ledger = Counted(temp);
            var records = new BookRecords(ledger);
            using var first = ledger.TryHoldBook(First, "b1")!;
            using var second = ledger.TryHoldBook(Second, "b1")!;
            records.Start(first, "runs/first");

            records.Done(first, "https://youtube.example/watch?v=first", null, "runs/first");
            Assert.True(records.DoneWaiting);
            Assert.Equal(BookState.Processing, records.Find(First)!.State); // not written yet
            records.Start(second, "runs/second");

            Assert.False(records.DoneWaiting);
            Assert.Equal(2, ledger.Writes.Count);
            Assert.Equal(new[] { First.Title, Second.Title }, ledger.Writes[1]);
            Assert.Equal((BookState.Done, "https://youtube.example/watch?v=first"), (records.Find(First)!.State, records.Find(First)!.YouTubeUrl));
            Assert.Equal((BookState.Processing, "runs/second"), (records.Find(Second)!.State, records.Find(Second)!.RunFolder));
        }

        [Fact]
        public void EndsWithNoStartToCarryThemAreWrittenAloneAndOnce()
        {
            using var temp = new TempWorkspace();
            var ledger = Counted(temp);
            var records = new BookRecords(ledger);
            using var first = ledger.TryHoldBook(First, "b1")!;
            using var second = ledger.TryHoldBook(Second, "b1")!;
            records.Start(first, "runs/first");
            records.Start(second, "runs/second");
            records.Done(first, null, null, "runs/first");
            records.Done(second, null, "https://youtube.example/shorts/second", "runs/second");

            records.WriteDone();
            records.WriteDone(); // nothing left: no write

            Assert.Equal(3, ledger.Writes.Count);
            Assert.Equal(new[] { First.Title, Second.Title }, ledger.Writes[2]);
            Assert.Equal(BookState.Done, records.Find(Second)!.State);
            Assert.Equal("https://youtube.example/shorts/second", records.Find(Second)!.ShortUrl);
        }

        [Fact]
        public void AReviewAndAStopNameOnlyTheirBookAndKeepWhy()
        {
            using var temp = new TempWorkspace();
            var ledger = Counted(temp);
            var records = new BookRecords(ledger);
            using var first = ledger.TryHoldBook(First, "b1")!;
            using var second = ledger.TryHoldBook(Second, "b1")!;
            records.Start(first, "runs/first");
            records.Start(second, "runs/second");

            records.Review(first, "upload", "cut off before it reported a URL");
            records.Stop(second, "stage 'render' failed: exit code 1");

            Assert.Equal(new[] { First.Title }, ledger.Writes[2]);
            Assert.Equal(new[] { Second.Title }, ledger.Writes[3]);
            Assert.Equal(("upload", "cut off before it reported a URL"), (records.Find(First)!.Review, records.Find(First)!.LastError));
            Assert.Equal("stage 'render' failed: exit code 1", records.Find(Second)!.LastError);
        }

        [Fact]
        public void AStopOfABookTheLedgerDoesNotHaveWritesNothing()
        {
            using var temp = new TempWorkspace();
            var coordination = new FileCoordination(temp.Workspace);
            var records = new BookRecords(coordination);
            using var first = coordination.TryHoldBook(First, "b1")!;
            records.Stop(first, "failed");
            Assert.Null(records.Find(First));
        }
    }
}
