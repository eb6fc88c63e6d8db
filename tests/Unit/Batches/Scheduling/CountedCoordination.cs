using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>
    /// A workspace's coordination that keeps, in order, the books each ledger write named. With <c>fences</c> it acts as a
    /// store shared by servers does: each book's writes are fenced by its own hold, and a test can take a hold away
    /// (<see cref="Lose"/>) as a lease that ran out would.
    /// </summary>
    internal sealed class CountedCoordination : IWorkspaceCoordination
    {
        private readonly IWorkspaceCoordination _inner;
        private readonly CountedLedger _ledger;
        private readonly Dictionary<string, LosableHold> _holds = new();

        public CountedCoordination(IWorkspaceCoordination inner, bool fences = false)
        {
            _inner = inner;
            _ledger = new CountedLedger(inner.Ledger);
            FencesHeldWrites = fences;
        }

        public bool FencesHeldWrites { get; }

        public TimeSpan? HoldLapse => _inner.HoldLapse;

        public bool HoldsFresh => _inner.HoldsFresh;

        /// <summary>Takes <paramref name="title"/>'s hold away from its holder: its token is cancelled and its writes refused.</summary>
        public void Lose(string title)
        {
            LosableHold hold;
            lock (_holds) hold = _holds[title];
            hold.Lose();
        }

        /// <summary>Another holder takes <paramref name="title"/> over unnoticed: its holder learns it only by asking (<see cref="IHeldBook.IsStillHeld"/>) or writing.</summary>
        public void TakeOver(string title)
        {
            LosableHold hold;
            lock (_holds) hold = _holds[title];
            hold.TakenOver = true;
        }

        /// <summary>What each hold taken from now on says of a stage its book's earlier holder left running on another server.</summary>
        public DateTimeOffset? ElsewhereUntil { get; set; }

        public IHeldBook? TryHoldBook(Book book, string batchId)
        {
            if (_inner.TryHoldBook(book, batchId) is not { } held) return null;
            var hold = new LosableHold(held, ElsewhereUntil);
            lock (_holds) _holds[book.Title] = hold;
            return hold;
        }

        public T ChangeHeld<T>(IHeldBook held, IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default)
        {
            if (!held.IsStillHeld()) throw new BookHoldLostException(held.Book.ToString());
            return _ledger.Change(books, change, cancellation);
        }

        public void Dispose() => _inner.Dispose();

        public ILedgerStore Ledger => _ledger;

        /// <summary>The titles each ledger write named, in order.</summary>
        public IReadOnlyList<string[]> Writes
        {
            get { lock (_ledger.Writes) return _ledger.Writes.ToList(); }
        }

        public Func<Book, string?, BookHold?> Holds(IReadOnlyList<StageSettings>? stages) => _inner.Holds(stages);
        public IStageSlot? TryTakeSlot(StageSettings stage) => _inner.TryTakeSlot(stage);
        public IDisposable? WatchPlaces(Action<string> freed) => _inner.WatchPlaces(freed);
        public IRateWindow RateOf(StageSettings stage) => _inner.RateOf(stage);
        public LeaseHolder? HolderOf(Book book) => _inner.HolderOf(book);
        public IReadOnlyList<LeaseHolder> LiveHolders() => _inner.LiveHolders();
        public IReadOnlyList<LeaseHolder> WrittenHolders() => _inner.WrittenHolders();
        public ILeftoverStage FindLeftoverStage(BookLedger ledger, Book book, IReadOnlyList<StageSettings>? stages, string command) =>
            _inner.FindLeftoverStage(ledger, book, stages, command);
        public IBookDatabaseUpkeep Upkeep => _inner.Upkeep;
        public IWorkQueue Queue => _inner.Queue;

        private sealed class LosableHold : IHeldBook
        {
            private readonly IHeldBook _inner;
            private readonly CancellationTokenSource _lost = new();
            public LosableHold(IHeldBook inner, DateTimeOffset? elsewhereUntil)
            {
                _inner = inner;
                ElsewhereUntil = elsewhereUntil;
            }
            public Book Book => _inner.Book;
            public CancellationToken Lost => _lost.Token;
            public bool IsLost => _lost.IsCancellationRequested;
            public bool TakenOver { get; set; }
            public bool IsStillHeld() => !IsLost && !TakenOver;
            public DateTimeOffset? ElsewhereUntil { get; }
            public void Lose() => _lost.Cancel();
            public void Dispose() => _inner.Dispose();
        }

        private sealed class CountedLedger : ILedgerStore
        {
            private readonly ILedgerStore _store;
            public CountedLedger(ILedgerStore store) => _store = store;
            public List<string[]> Writes { get; } = new();
            public BookLedger Read() => _store.Read();
            public BookLedger ReadAsWritten() => _store.ReadAsWritten();
            public BookLedger ReadFor(IReadOnlyCollection<Book> books) => _store.ReadFor(books);
            public BookMatch Find(Book book) => _store.Find(book);
            public IReadOnlyList<LedgerEntry> List(Func<LedgerEntry, bool> filter) => _store.List(filter);
            public T Change<T>(IReadOnlyCollection<Book> books, Func<BookEdit, (bool Changed, T Result)> change, CancellationToken cancellation = default)
            {
                lock (Writes) Writes.Add(books.Select(b => b.Title).ToArray());
                return _store.Change(books, change, cancellation);
            }
            public T Update<T>(Func<BookLedger, (bool Changed, T Result)> change, CancellationToken cancellation = default)
            {
                lock (Writes) Writes.Add(new[] { "(the whole ledger)" });
                return _store.Update(change, cancellation);
            }
        }
    }
}
