using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A batch's writes of its books to the ledger, and the only ones: a book's start (processing, its run folder), its
    /// review (the stage in doubt and why), its stop (the last error) and its end (done, its URLs). Each names the
    /// books it changes, so a store of rows touches only those. A finished book's end waits in a queue for the next
    /// write, which carries it: a book's start writes the ends before it in the same write (one flush to the disk for
    /// both, which keeps a stage's overhead low, docs/DECISIONS.md); with no start to come, <see cref="WriteDone"/>
    /// writes them alone.
    /// </summary>
    internal sealed class BookRecords
    {
        private readonly ILedgerStore _ledger;
        private readonly List<(Book Book, Action<BookEdit> Record)> _done = new();

        public BookRecords(ILedgerStore ledger) => _ledger = ledger;

        /// <summary>True while a finished book's end waits for the next write.</summary>
        public bool DoneWaiting => _done.Count > 0;

        /// <summary>The book as the ledger records it now.</summary>
        public LedgerEntry? Find(Book book) => _ledger.Find(book).Entry;

        /// <summary>Queues a finished book's end for the next write: done, the URLs its stages reported, its run folder.</summary>
        public void Done(Book book, string? youtube, string? shortUrl, string runFolder)
        {
            var finished = DateTime.Now;
            _done.Add((book, edit =>
            {
                var entry = edit.Find(book).Entry ?? edit.Add(book, finished);
                entry.StatusText = LedgerKeys.StatusDone;
                if (youtube != null) entry.YouTubeUrl = youtube;
                if (shortUrl != null) entry.ShortUrl = shortUrl;
                entry.RunFolder = runFolder;
                entry.LastError = null;
                entry.UpdatedAt = LedgerKeys.Timestamp(finished);
            }));
        }

        /// <summary>Records a book as processing in <paramref name="runFolder"/>, in one write with the ends waiting.</summary>
        public void Start(Book book, string runFolder)
        {
            var books = _done.Select(d => d.Book).Concat(new[] { book }).ToList();
            _ledger.Change(books, edit =>
            {
                foreach (var (_, record) in _done) record(edit);
                var recorded = edit.Find(book).Entry ?? edit.Add(book, DateTime.Now);
                recorded.StatusText = LedgerKeys.StatusProcessing;
                recorded.RunFolder = runFolder;
                recorded.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
                return (true, 0);
            });
            _done.Clear();
        }

        /// <summary>Writes the ends waiting, when no book's start carried them.</summary>
        public void WriteDone()
        {
            if (_done.Count == 0) return;
            _ledger.Change(_done.Select(d => d.Book).ToList(), edit =>
            {
                foreach (var (_, record) in _done) record(edit);
                return (true, 0);
            });
            _done.Clear();
        }

        /// <summary>
        /// The book waits for the operator: the ledger says which stage is in doubt and why, so that every later plan
        /// shows Review from one read of the database.
        /// </summary>
        public void Review(Book book, string stage, string why) => Edit(book, entry =>
        {
            entry.Review = stage;
            entry.LastError = why;
        });

        /// <summary>The book stops at a stage (failed, timed out, held by a quota): the ledger keeps why.</summary>
        public void Stop(Book book, string message) => Edit(book, entry => entry.LastError = message);

        // A change of a recorded book; nothing is written for a book the ledger does not have.
        private void Edit(Book book, Action<LedgerEntry> change) => _ledger.Change(new[] { book }, edit =>
        {
            var entry = edit.Find(book).Entry;
            if (entry is null) return (false, 0);
            change(entry);
            entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
            return (true, 0);
        });
    }
}
