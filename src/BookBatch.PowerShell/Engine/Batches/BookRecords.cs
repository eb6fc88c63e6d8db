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
    /// review (the stage in doubt and why), its stop (the last error) and its end (done, its URLs). Each is made by the
    /// book's holder (<see cref="IWorkspaceCoordination.ChangeHeld{T}"/>) and names the books it changes, so a store of
    /// rows touches only those, and a store that fences refuses the write of a hold that was lost. On the file store a
    /// finished book's end waits in a queue for the next write, which carries it: a book's start writes the ends before
    /// it in the same write (one flush to the disk for both, which keeps a stage's overhead low, docs/DECISIONS.md);
    /// with no start to come, <see cref="WriteDone"/> writes them alone. A store that fences writes each end at once,
    /// under its own book's hold.
    /// </summary>
    internal sealed class BookRecords
    {
        private readonly IWorkspaceCoordination _coordination;
        private readonly List<(Book Book, Action<BookEdit> Record)> _done = new();

        public BookRecords(IWorkspaceCoordination coordination) => _coordination = coordination;

        private ILedgerStore Ledger => _coordination.Ledger;

        /// <summary>True while a finished book's end waits for the next write.</summary>
        public bool DoneWaiting => _done.Count > 0;

        /// <summary>The book as the ledger records it now.</summary>
        public LedgerEntry? Find(Book book) => Ledger.Find(book).Entry;

        /// <summary>
        /// A finished book's end: done, the URLs its stages reported, its run folder. Queued for the next write on the file
        /// store; written at once under <paramref name="held"/> on a store that fences.
        /// </summary>
        public void Done(IHeldBook held, string? youtube, string? shortUrl, string runFolder)
        {
            var book = held.Book;
            var finished = DateTime.Now;
            Action<BookEdit> record = edit =>
            {
                var entry = edit.Find(book).Entry ?? edit.Add(book, finished);
                entry.StatusText = LedgerKeys.StatusDone;
                if (youtube != null) entry.YouTubeUrl = youtube;
                if (shortUrl != null) entry.ShortUrl = shortUrl;
                entry.RunFolder = runFolder;
                entry.LastError = null;
                entry.UpdatedAt = LedgerKeys.Timestamp(finished);
            };
            if (!_coordination.FencesHeldWrites) _done.Add((book, record));
            else _coordination.ChangeHeld(held, new[] { book }, edit =>
            {
                record(edit);
                return (true, 0);
            });
        }

        /// <summary>Records a book as processing in <paramref name="runFolder"/>, in one write with the ends waiting.</summary>
        public void Start(IHeldBook held, string runFolder)
        {
            var book = held.Book;
            var books = _done.Select(d => d.Book).Concat(new[] { book }).ToList();
            _coordination.ChangeHeld(held, books, edit =>
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
            Ledger.Change(_done.Select(d => d.Book).ToList(), edit =>
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
        public void Review(IHeldBook held, string stage, string why) => Edit(held, entry =>
        {
            entry.Review = stage;
            entry.LastError = why;
        });

        /// <summary>The book stops at a stage (failed, timed out, held by a quota): the ledger keeps why.</summary>
        public void Stop(IHeldBook held, string message) => Edit(held, entry => entry.LastError = message);

        // A change of a recorded book; nothing is written for a book the ledger does not have.
        private void Edit(IHeldBook held, Action<LedgerEntry> change) => _coordination.ChangeHeld(held, new[] { held.Book }, edit =>
        {
            var entry = edit.Find(held.Book).Entry;
            if (entry is null) return (false, 0);
            change(entry);
            entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
            return (true, 0);
        });
    }
}
