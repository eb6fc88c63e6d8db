using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class BookRecordsTests
    {
        // The file store, with every write it is asked for counted; a whole-ledger write fails the test.
        private sealed class CountedLedger : ILedgerStore
        {
            private readonly ILedgerStore _store;
            public CountedLedger(ILedgerStore store) => _store = store;
            public List<IReadOnlyCollection<Book>> Changes { get; } = new();
            public BookLedger Read() => _store.Read();
            public BookLedger ReadAsWritten() => _store.ReadAsWritten();
            public BookMatch Find(Book book) => _store.Find(book);
            public IReadOnlyList<LedgerEntry> List(Func<LedgerEntry, bool> filter) => _store.List(filter);
            public T Change<T>(IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default)
            {
                Changes.Add(books.ToList());
                return _store.Change(books, change, cancellation);
            }
            public T Update<T>(Func<BookLedger, (bool Changed, T Result)> change, CancellationToken cancellation = default) =>
                throw new InvalidOperationException("a book's write must name its books");
        }

        private static readonly Book First = new("First Book", null);
        private static readonly Book Second = new("Second Book", "An Author");

        [Fact]
        public void AFinishedBooksEndIsWrittenWithTheNextBooksStartInOneWrite()
        {
            using var temp = new TempWorkspace();
            var ledger = new CountedLedger(new FileCoordination(temp.Workspace).Ledger);
            var records = new BookRecords(ledger);
            records.Start(First, "runs/first");

            records.Done(First, "https://youtube.example/watch?v=first", null, "runs/first");
            Assert.True(records.DoneWaiting);
            Assert.Equal(BookState.Processing, records.Find(First)!.State); // not written yet
            records.Start(Second, "runs/second");

            Assert.False(records.DoneWaiting);
            Assert.Equal(2, ledger.Changes.Count);
            Assert.Equal(new[] { First, Second }, ledger.Changes[1]);
            Assert.Equal((BookState.Done, "https://youtube.example/watch?v=first"), (records.Find(First)!.State, records.Find(First)!.YouTubeUrl));
            Assert.Equal((BookState.Processing, "runs/second"), (records.Find(Second)!.State, records.Find(Second)!.RunFolder));
        }

        [Fact]
        public void EndsWithNoStartToCarryThemAreWrittenAloneAndOnce()
        {
            using var temp = new TempWorkspace();
            var ledger = new CountedLedger(new FileCoordination(temp.Workspace).Ledger);
            var records = new BookRecords(ledger);
            records.Start(First, "runs/first");
            records.Start(Second, "runs/second");
            records.Done(First, null, null, "runs/first");
            records.Done(Second, null, "https://youtube.example/shorts/second", "runs/second");

            records.WriteDone();
            records.WriteDone(); // nothing left: no write

            Assert.Equal(3, ledger.Changes.Count);
            Assert.Equal(new[] { First, Second }, ledger.Changes[2]);
            Assert.Equal(BookState.Done, records.Find(Second)!.State);
            Assert.Equal("https://youtube.example/shorts/second", records.Find(Second)!.ShortUrl);
        }

        [Fact]
        public void AReviewAndAStopNameOnlyTheirBookAndKeepWhy()
        {
            using var temp = new TempWorkspace();
            var ledger = new CountedLedger(new FileCoordination(temp.Workspace).Ledger);
            var records = new BookRecords(ledger);
            records.Start(First, "runs/first");
            records.Start(Second, "runs/second");

            records.Review(First, "upload", "cut off before it reported a URL");
            records.Stop(Second, "stage 'render' failed: exit code 1");

            Assert.Equal(new[] { First }, ledger.Changes[2]);
            Assert.Equal(new[] { Second }, ledger.Changes[3]);
            Assert.Equal(("upload", "cut off before it reported a URL"), (records.Find(First)!.Review, records.Find(First)!.LastError));
            Assert.Equal("stage 'render' failed: exit code 1", records.Find(Second)!.LastError);
        }

        [Fact]
        public void AStopOfABookTheLedgerDoesNotHaveWritesNothing()
        {
            using var temp = new TempWorkspace();
            var records = new BookRecords(new FileCoordination(temp.Workspace).Ledger);
            records.Stop(First, "failed");
            Assert.Null(records.Find(First));
        }
    }
}
