using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>The keys of a book in <c>database.json</c>: the seed's, and the ones BookBatch adds.</summary>
    public static class LedgerKeys
    {
        /// <summary>The top-level array of books.</summary>
        public const string Books = "books";
        /// <summary>The book's title (seed).</summary>
        public const string Title = "main_title";
        /// <summary>The book's author (seed).</summary>
        public const string Author = "author_name";
        /// <summary>"done", "processing" or null (seed).</summary>
        public const string Status = "status";
        /// <summary>The published video (seed).</summary>
        public const string YouTubeUrl = "youtube_url";
        /// <summary>The published short (seed).</summary>
        public const string ShortUrl = "short_url";
        /// <summary>When the book was added, local time, ISO 8601 without offset (seed).</summary>
        public const string DateAdded = "date_added";
        /// <summary>The run folder's name under <c>runs/</c> (seed).</summary>
        public const string RunFolder = "run_folder";
        /// <summary>When BookBatch last changed the entry (BookBatch).</summary>
        public const string UpdatedAt = "updated_at";
        /// <summary>The last failure recorded for the book (BookBatch).</summary>
        public const string LastError = "last_error";

        /// <summary>The seed's keys, in the seed's order: always written.</summary>
        internal static readonly string[] Seed = { Title, Author, Status, YouTubeUrl, ShortUrl, DateAdded, RunFolder };

        /// <summary>BookBatch's own keys: written only when they have a value.</summary>
        internal static readonly string[] Added = { UpdatedAt, LastError };

        /// <summary>The status values of the seed format.</summary>
        public const string StatusDone = "done";
        /// <summary>The status values of the seed format.</summary>
        public const string StatusProcessing = "processing";

        /// <summary>The seed's timestamp format (Python's <c>isoformat()</c> without fractions).</summary>
        public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss";

        internal static string Timestamp(DateTime local) => local.ToString(TimestampFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>One book in the ledger, with every key it was read with kept in its order.</summary>
    public sealed class LedgerEntry
    {
        // Every key as it was read, in order; values of keys BookBatch does not know are kept verbatim.
        private readonly List<string> _order;
        private readonly Dictionary<string, JsonElement> _unknown;
        private Book _book;

        internal LedgerEntry(Book book, List<string>? order = null, Dictionary<string, JsonElement>? unknown = null)
        {
            _book = book;
            _order = order ?? new List<string>();
            _unknown = unknown ?? new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        }

        /// <summary>The book the entry records.</summary>
        public Book Book => _book;

        /// <summary>The status exactly as stored: "done", "processing", null, or anything else an older tool wrote.</summary>
        public string? StatusText { get; set; }

        /// <summary>The status as BookBatch understands it.</summary>
        public BookState State => StateOf(StatusText);

        /// <summary>The published video's URL.</summary>
        public string? YouTubeUrl { get; set; }

        /// <summary>The published short's URL.</summary>
        public string? ShortUrl { get; set; }

        /// <summary>When the book was added, as stored.</summary>
        public string? DateAdded { get; set; }

        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string? RunFolder { get; set; }

        /// <summary>When BookBatch last changed the entry, as stored.</summary>
        public string? UpdatedAt { get; set; }

        /// <summary>The last failure recorded for the book.</summary>
        public string? LastError { get; set; }

        /// <summary>Keys of the entry that BookBatch does not know, with their JSON values, kept on every write.</summary>
        public IReadOnlyDictionary<string, JsonElement> UnknownFields => _unknown;

        internal IReadOnlyList<string> KeyOrder => _order;

        /// <summary>Renames the book (same identity rules); used when a repair merges spellings.</summary>
        internal void SetBook(Book book) => _book = book;

        internal void AddUnknown(string key, JsonElement value)
        {
            if (!_unknown.ContainsKey(key))
            {
                _unknown[key] = value;
                if (!_order.Contains(key)) _order.Add(key);
            }
        }

        /// <summary>Reads a stored status as a <see cref="BookState"/>.</summary>
        public static BookState StateOf(string? statusText)
        {
            if (string.Equals(statusText, LedgerKeys.StatusDone, StringComparison.OrdinalIgnoreCase)) return BookState.Done;
            if (string.Equals(statusText, LedgerKeys.StatusProcessing, StringComparison.OrdinalIgnoreCase)) return BookState.Processing;
            return BookState.Unknown;
        }

        /// <summary>The stored text for a state (null for <see cref="BookState.Unknown"/>).</summary>
        public static string? TextOf(BookState state) => state switch
        {
            BookState.Done => LedgerKeys.StatusDone,
            BookState.Processing => LedgerKeys.StatusProcessing,
            _ => null,
        };

        /// <summary>When the book was added, if the stored text is a date.</summary>
        public DateTime? DateAddedValue =>
            DateTime.TryParse(DateAdded, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value) ? value : null;

        internal string? KnownValue(string key) => key switch
        {
            LedgerKeys.Title => Book.Title,
            LedgerKeys.Author => Book.Author,
            LedgerKeys.Status => StatusText,
            LedgerKeys.YouTubeUrl => YouTubeUrl,
            LedgerKeys.ShortUrl => ShortUrl,
            LedgerKeys.DateAdded => DateAdded,
            LedgerKeys.RunFolder => RunFolder,
            LedgerKeys.UpdatedAt => UpdatedAt,
            LedgerKeys.LastError => LastError,
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a known ledger key"),
        };

        internal static bool IsKnown(string key) => Array.IndexOf(LedgerKeys.Seed, key) >= 0 || Array.IndexOf(LedgerKeys.Added, key) >= 0;

        internal void SetKnown(string key, string? value)
        {
            switch (key)
            {
                case LedgerKeys.Status: StatusText = value; break;
                case LedgerKeys.YouTubeUrl: YouTubeUrl = value; break;
                case LedgerKeys.ShortUrl: ShortUrl = value; break;
                case LedgerKeys.DateAdded: DateAdded = value; break;
                case LedgerKeys.RunFolder: RunFolder = value; break;
                case LedgerKeys.UpdatedAt: UpdatedAt = value; break;
                case LedgerKeys.LastError: LastError = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(key), key, "not a settable ledger key");
            }
        }

        internal void NoteKey(string key)
        {
            if (!_order.Contains(key)) _order.Add(key);
        }
    }
}
