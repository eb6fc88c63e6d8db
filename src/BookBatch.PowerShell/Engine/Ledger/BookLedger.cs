using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>What a lookup of one book in the ledger found.</summary>
    public sealed class BookMatch
    {
        private static readonly LedgerEntry[] None = Array.Empty<LedgerEntry>();

        private BookMatch(LedgerEntry? entry, IReadOnlyList<LedgerEntry> ambiguous)
        {
            Entry = entry;
            Ambiguous = ambiguous;
        }

        /// <summary>The one recorded book that is this book, if any.</summary>
        public LedgerEntry? Entry { get; }

        /// <summary>The recorded books a title-only line could mean, when it could mean more than one.</summary>
        public IReadOnlyList<LedgerEntry> Ambiguous { get; }

        /// <summary>True when a title-only line matches several recorded books.</summary>
        public bool IsAmbiguous => Ambiguous.Count > 0;

        internal static readonly BookMatch NotFound = new(null, None);
        internal static BookMatch Found(LedgerEntry entry) => new(entry, None);
        internal static BookMatch Several(IReadOnlyList<LedgerEntry> entries) => new(null, entries);
    }

    /// <summary>The ledger in memory: every book of <c>database.json</c>, in file order, with any top-level keys kept.</summary>
    public sealed class BookLedger
    {
        private readonly List<LedgerEntry> _books;
        // Title → the entry, or a List<LedgerEntry> when several books share the title (rare: no list per book).
        private Dictionary<string, object>? _byTitle;

        internal BookLedger(List<LedgerEntry> books, List<KeyValuePair<string, JsonElement>> otherKeys)
        {
            _books = books;
            OtherKeys = otherKeys;
        }

        /// <summary>An empty ledger, as a missing <c>database.json</c> reads.</summary>
        public static BookLedger Empty() => new(new List<LedgerEntry>(), new List<KeyValuePair<string, JsonElement>>());

        /// <summary>Every recorded book, in file order.</summary>
        public IReadOnlyList<LedgerEntry> Books => _books;

        /// <summary>Top-level keys other than <c>books</c>, kept on every write.</summary>
        internal List<KeyValuePair<string, JsonElement>> OtherKeys { get; }

        /// <summary>
        /// Finds a book: the entry with the same title and author; for a title-only line, the one entry with that
        /// title; for a line with an author, also the one entry with that title recorded without an author.
        /// </summary>
        public BookMatch Find(Book book)
        {
            if (!ByTitle().TryGetValue(book.Title, out var found)) return BookMatch.NotFound;
            if (found is LedgerEntry single)
            {
                if (single.Book.SameAuthor(book)) return BookMatch.Found(single);
                return book.Author is null || single.Book.Author is null ? BookMatch.Found(single) : BookMatch.NotFound;
            }
            var sameTitle = (List<LedgerEntry>)found;
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

        /// <summary>Records a new book with status <c>processing</c>, as the seed's <c>add_book</c> does.</summary>
        public LedgerEntry Add(Book book, DateTime now)
        {
            var entry = new LedgerEntry(book)
            {
                StatusText = LedgerKeys.StatusProcessing,
                DateAdded = LedgerKeys.Timestamp(now),
                UpdatedAt = LedgerKeys.Timestamp(now),
            };
            _books.Add(entry);
            if (_byTitle != null) Index(_byTitle, entry);
            return entry;
        }

        /// <summary>Forgets a book.</summary>
        public bool Remove(LedgerEntry entry)
        {
            if (!_books.Remove(entry)) return false;
            _byTitle = null;
            return true;
        }

        private Dictionary<string, object> ByTitle()
        {
            if (_byTitle != null) return _byTitle;
            var index = new Dictionary<string, object>(_books.Count, Book.Comparer);
            foreach (var entry in _books) Index(index, entry);
            return _byTitle = index;
        }

        private static void Index(Dictionary<string, object> index, LedgerEntry entry)
        {
            var title = entry.Title;
            if (!index.TryGetValue(title, out var found)) index[title] = entry;
            else if (found is List<LedgerEntry> list) list.Add(entry);
            else index[title] = new List<LedgerEntry>(2) { (LedgerEntry)found, entry };
        }
    }
}
