using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>The ledger in memory: every book of <c>database.json</c>, in file order, with any top-level keys kept.</summary>
    /// <remarks>
    /// The books of the file stay <see cref="ScannedBook"/> values in one array until one is asked for: 100,000
    /// objects made while the file is read would each be copied by the garbage collector into its older
    /// generations, which costs more than reading the file. Asking for a book makes its entry, once.
    /// </remarks>
    public sealed class BookLedger
    {
        private LedgerEntry?[] _entries;
        private ScannedBook[] _scanned; // by position, while no book was removed
        private readonly ReadOnlyMemory<byte> _file; // the bytes they were scanned in
        private int _count;
        private TitleIndex? _byTitle; // made when a book is first looked up

        internal BookLedger(List<LedgerEntry> books, List<KeyValuePair<string, JsonElement>> otherKeys)
        {
            _entries = books.ToArray();
            _scanned = Array.Empty<ScannedBook>();
            _count = _entries.Length;
            OtherKeys = otherKeys;
            Books = new EntryList(this);
        }

        internal BookLedger(ReadOnlyMemory<byte> file, ScannedBook[] books, int count, List<KeyValuePair<string, JsonElement>> otherKeys)
        {
            _file = file;
            _entries = new LedgerEntry?[count];
            _scanned = books;
            _count = count;
            OtherKeys = otherKeys;
            Books = new EntryList(this);
        }

        /// <summary>An empty ledger, as a missing <c>database.json</c> reads.</summary>
        public static BookLedger Empty() => new(new List<LedgerEntry>(), new List<KeyValuePair<string, JsonElement>>());

        /// <summary>Every recorded book, in file order.</summary>
        public IReadOnlyList<LedgerEntry> Books { get; }

        /// <summary>Top-level keys other than <c>books</c>, kept on every write.</summary>
        internal List<KeyValuePair<string, JsonElement>> OtherKeys { get; }

        /// <summary>
        /// Finds a book: the entry with the same title and author; for a title-only line, the one entry with that
        /// title; for a line with an author, also the one entry with that title recorded without an author.
        /// </summary>
        public BookMatch Find(Book book)
        {
            var index = ByTitle();
            LedgerEntry? single = null;
            List<LedgerEntry>? sameTitle = null;
            for (var i = index.First(Book.Comparer.GetHashCode(book.Title)); i >= 0; i = index.Next(i))
            {
                var entry = EntryAt(i);
                if (!Book.Comparer.Equals(entry.Title, book.Title)) continue;
                if (single is null) single = entry;
                else (sameTitle ??= new List<LedgerEntry> { single }).Add(entry);
            }
            if (single is null) return BookMatch.NotFound;
            if (sameTitle is null)
            {
                if (single.Book.SameAuthor(book)) return BookMatch.Found(single);
                return book.Author is null || single.Book.Author is null ? BookMatch.Found(single) : BookMatch.NotFound;
            }
            foreach (var entry in sameTitle)
                if (entry.Book.SameAuthor(book)) return BookMatch.Found(entry);
            if (book.Author is null) return BookMatch.Several(sameTitle.ToArray());
            var authorless = sameTitle.Where(e => e.Book.Author is null).ToArray();
            return authorless.Length == 1 ? BookMatch.Found(authorless[0]) : BookMatch.NotFound;
        }

        /// <summary>The recorded entry of a book; throws when it is not recorded or when a title-only line is ambiguous.</summary>
        public LedgerEntry FindExisting(Book book)
        {
            var match = Find(book);
            if (match.IsAmbiguous) throw new BookAmbiguousException(book, match.Ambiguous);
            return match.Entry ?? throw new BookNotFoundException(book);
        }

        /// <summary>Records a new book with status <c>processing</c>, as the old system's <c>add_book</c> does.</summary>
        public LedgerEntry Add(Book book, DateTime now)
        {
            var entry = new LedgerEntry(book)
            {
                StatusText = LedgerKeys.StatusProcessing,
                DateAdded = LedgerKeys.Timestamp(now),
                UpdatedAt = LedgerKeys.Timestamp(now),
            };
            if (_count == _entries.Length) Array.Resize(ref _entries, Math.Max(4, 2 * _count));
            _entries[_count++] = entry;
            _byTitle?.Add(Book.Comparer.GetHashCode(entry.Title));
            return entry;
        }

        /// <summary>Forgets a book.</summary>
        public bool Remove(LedgerEntry entry)
        {
            for (var i = 0; i < _count; i++)
            {
                if (!ReferenceEquals(EntryAt(i), entry)) continue;
                // The books before it became entries on the way; the ones after it move, so they become entries too.
                for (var j = i + 1; j < _count; j++) EntryAt(j);
                Array.Copy(_entries, i + 1, _entries, i, _count - i - 1);
                _entries[--_count] = null;
                _scanned = Array.Empty<ScannedBook>();
                _byTitle = null;
                return true;
            }
            return false;
        }

        private LedgerEntry EntryAt(int i) => _entries[i] ??= _scanned[i].ToEntry(_file);

        /// <summary>
        /// The bytes of a book nobody has asked for since the file was read (it is written back as it was, without
        /// making its entry); false once its entry exists.
        /// </summary>
        internal bool TryGetUnread(int index, out ReadOnlyMemory<byte> json, out bool strict)
        {
            var unread = _entries[index] is null;
            json = unread ? _scanned[index].Json(_file) : default;
            strict = unread && _scanned[index].Strict;
            return unread;
        }

        private int TitleHashAt(int i) => _entries[i] is { } entry ? Book.Comparer.GetHashCode(entry.Title) : _scanned[i].TitleHash;

        private TitleIndex ByTitle()
        {
            if (_byTitle != null) return _byTitle;
            var index = new TitleIndex(_count);
            for (var i = 0; i < _count; i++) index.Add(TitleHashAt(i));
            return _byTitle = index;
        }

        // The books as entries, each made when first asked for.
        private sealed class EntryList : IReadOnlyList<LedgerEntry>
        {
            private readonly BookLedger _ledger;

            internal EntryList(BookLedger ledger) => _ledger = ledger;

            public LedgerEntry this[int index] =>
                (uint)index < (uint)_ledger._count ? _ledger.EntryAt(index) : throw new ArgumentOutOfRangeException(nameof(index));

            public int Count => _ledger._count;

            public IEnumerator<LedgerEntry> GetEnumerator()
            {
                for (var i = 0; i < _ledger._count; i++) yield return _ledger.EntryAt(i);
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
