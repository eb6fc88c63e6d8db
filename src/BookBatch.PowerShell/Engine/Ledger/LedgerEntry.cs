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

    /// <summary>
    /// One book in the ledger, with every key it was read with kept in its order. An entry read from the file keeps
    /// its JSON and reads its fields only when asked; an entry nobody changed is written back byte for byte.
    /// </summary>
    public sealed class LedgerEntry
    {
        private static readonly Dictionary<string, JsonElement> NoUnknownFields = new(StringComparer.Ordinal);
        private readonly JsonElement _source;
        private readonly bool _hasSource;
        private bool _loaded;
        private readonly Book _book;
        private List<string> _order = new();
        private Dictionary<string, JsonElement>? _unknown;
        private string? _status, _youTubeUrl, _shortUrl, _dateAdded, _runFolder, _updatedAt, _lastError;

        /// <summary>A new entry, written in full.</summary>
        internal LedgerEntry(Book book)
        {
            _book = book;
            _loaded = true;
            IsChanged = true;
        }

        /// <summary>An entry read from the file: its fields stay in <paramref name="source"/> until they are needed.</summary>
        internal LedgerEntry(Book book, JsonElement source)
        {
            _book = book;
            _source = source;
            _hasSource = true;
        }

        /// <summary>An entry read field by field (the repair's salvage), written in full.</summary>
        internal LedgerEntry(Book book, List<string> order, Dictionary<string, JsonElement>? unknown)
        {
            _book = book;
            _order = order;
            _unknown = unknown;
            _loaded = true;
            IsChanged = true;
        }

        /// <summary>The book the entry records.</summary>
        public Book Book => _book;

        /// <summary>True once anything in the entry was changed (it is then written from its fields).</summary>
        internal bool IsChanged { get; private set; }

        /// <summary>The JSON the entry was read from, when it is unchanged.</summary>
        internal bool TryGetSource(out JsonElement source)
        {
            source = _source;
            return _hasSource && !IsChanged;
        }

        /// <summary>The status exactly as stored: "done", "processing", null, or anything else an older tool wrote.</summary>
        public string? StatusText { get { Load(); return _status; } set { Change(); _status = value; } }

        /// <summary>The status as BookBatch understands it.</summary>
        public BookState State
        {
            get
            {
                if (_loaded) return StateOf(_status);
                // Planning reads every status: compare the stored bytes without making strings of them.
                if (!_source.TryGetProperty(LedgerKeys.Status, out var status) || status.ValueKind != JsonValueKind.String) return BookState.Unknown;
                if (status.ValueEquals(LedgerKeys.StatusDone)) return BookState.Done;
                if (status.ValueEquals(LedgerKeys.StatusProcessing)) return BookState.Processing;
                return StateOf(status.GetString());
            }
        }

        /// <summary>The published video's URL.</summary>
        public string? YouTubeUrl { get { Load(); return _youTubeUrl; } set { Change(); _youTubeUrl = value; } }

        /// <summary>The published short's URL.</summary>
        public string? ShortUrl { get { Load(); return _shortUrl; } set { Change(); _shortUrl = value; } }

        /// <summary>When the book was added, as stored.</summary>
        public string? DateAdded { get { Load(); return _dateAdded; } set { Change(); _dateAdded = value; } }

        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string? RunFolder { get { Load(); return _runFolder; } set { Change(); _runFolder = value; } }

        /// <summary>When BookBatch last changed the entry, as stored.</summary>
        public string? UpdatedAt { get { Load(); return _updatedAt; } set { Change(); _updatedAt = value; } }

        /// <summary>The last failure recorded for the book.</summary>
        public string? LastError { get { Load(); return _lastError; } set { Change(); _lastError = value; } }

        /// <summary>Keys of the entry that BookBatch does not know, with their JSON values, kept on every write.</summary>
        public IReadOnlyDictionary<string, JsonElement> UnknownFields
        {
            get
            {
                Load();
                return _unknown ?? NoUnknownFields;
            }
        }

        internal IReadOnlyList<string> KeyOrder
        {
            get
            {
                Load();
                return _order;
            }
        }

        internal void AddUnknown(string key, JsonElement value)
        {
            Change();
            _unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (_unknown.ContainsKey(key)) return;
            _unknown[key] = value;
            if (!_order.Contains(key)) _order.Add(key);
        }

        private void Change()
        {
            Load();
            IsChanged = true;
        }

        // Reads every field out of the entry's JSON, once.
        private void Load()
        {
            if (_loaded) return;
            _loaded = true;
            foreach (var property in _source.EnumerateObject())
            {
                var name = property.Name;
                if (!_order.Contains(name)) _order.Add(name);
                if (IsKnown(name))
                {
                    if (name != LedgerKeys.Title && name != LedgerKeys.Author)
                        SetField(name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null);
                }
                else (_unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = property.Value;
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
            Change();
            SetField(key, value);
        }

        private void SetField(string key, string? value)
        {
            switch (key)
            {
                case LedgerKeys.Status: _status = value; break;
                case LedgerKeys.YouTubeUrl: _youTubeUrl = value; break;
                case LedgerKeys.ShortUrl: _shortUrl = value; break;
                case LedgerKeys.DateAdded: _dateAdded = value; break;
                case LedgerKeys.RunFolder: _runFolder = value; break;
                case LedgerKeys.UpdatedAt: _updatedAt = value; break;
                case LedgerKeys.LastError: _lastError = value; break;
                default: throw new ArgumentOutOfRangeException(nameof(key), key, "not a settable ledger key");
            }
        }

        internal void NoteKey(string key)
        {
            Change();
            if (!_order.Contains(key)) _order.Add(key);
        }
    }
}
