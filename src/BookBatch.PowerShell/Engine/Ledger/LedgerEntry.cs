using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
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
        /// <summary>
        /// The publishing stage whose cut-off attempt may or may not have published, until the operator says which
        /// (BookBatch): the book is planned Review and is not published again meanwhile.
        /// </summary>
        public const string Review = "review";

        /// <summary>
        /// True for an absolute http or https URL: the only URLs recorded as a book's published video (a stage's
        /// <c>javascript:</c> or <c>file:</c> URL would be shown and followed as if it were one).
        /// </summary>
        public static bool IsWebUrl(string? text) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;

        /// <summary>The seed's keys, in the seed's order: always written.</summary>
        internal static readonly string[] Seed = { Title, Author, Status, YouTubeUrl, ShortUrl, DateAdded, RunFolder };

        /// <summary>BookBatch's own keys: written only when they have a value.</summary>
        internal static readonly string[] Added = { UpdatedAt, LastError, Review };

        /// <summary>The status values of the seed format.</summary>
        public const string StatusDone = "done";
        /// <summary>The status values of the seed format.</summary>
        public const string StatusProcessing = "processing";

        /// <summary>The seed's timestamp format (Python's <c>isoformat()</c> without fractions).</summary>
        public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss";

        internal static string Timestamp(DateTime local) => local.ToString(TimestampFormat, CultureInfo.InvariantCulture);

        /// <summary>Every known key by slot: the seed's, then BookBatch's.</summary>
        internal static readonly string[] Known = Seed.Concat(Added).ToArray();

        /// <summary>The known keys as UTF-8, by slot, to compare with the file's bytes.</summary>
        internal static readonly byte[][] KnownUtf8 = Known.Select(Encoding.UTF8.GetBytes).ToArray();

        /// <summary>The slots of the known keys, in <see cref="Known"/>.</summary>
        internal const int TitleSlot = 0, AuthorSlot = 1, StatusSlot = 2, YouTubeUrlSlot = 3, ShortUrlSlot = 4, DateAddedSlot = 5,
            RunFolderSlot = 6, UpdatedAtSlot = 7, LastErrorSlot = 8, ReviewSlot = 9;

        /// <summary>The slot of a known key, or -1.</summary>
        internal static int SlotOf(string key) => Array.IndexOf(Known, key);
    }

    /// <summary>The keys of one book object as read, in file order (the last value of a repeated key wins).</summary>
    internal sealed class LedgerFields
    {
        /// <summary>Every key, once, in the order first seen.</summary>
        public List<string> Order { get; } = new(LedgerKeys.Known.Length);

        /// <summary>The keys BookBatch does not know, with their values.</summary>
        public Dictionary<string, JsonElement>? Unknown { get; set; }

        /// <summary>The known keys' values by slot (see <see cref="LedgerKeys.Known"/>).</summary>
        public string?[] Values { get; } = new string?[LedgerKeys.Known.Length];

        private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        /// <summary>The fields of a book object the scan of the file has checked.</summary>
        public static LedgerFields Read(ReadOnlyMemory<byte> json)
        {
            var reader = new Utf8JsonReader(json.Span, ReaderOptions);
            reader.Read();
            var fields = new LedgerFields();
            fields.Read(ref reader, out _);
            return fields;
        }

        /// <summary>A copy that later changes to this one do not reach.</summary>
        public LedgerFields Copy()
        {
            var copy = new LedgerFields { Unknown = Unknown is null ? null : new Dictionary<string, JsonElement>(Unknown, StringComparer.Ordinal) };
            copy.Order.AddRange(Order);
            Values.CopyTo(copy.Values, 0);
            return copy;
        }

        /// <summary>
        /// Reads the object whose start the reader is at, through its end. False, with the reader at the value and
        /// <paramref name="badKey"/> set, when a known key holds something other than a string or null.
        /// </summary>
        public bool Read(ref Utf8JsonReader reader, out string? badKey)
        {
            badKey = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!Order.Contains(name)) Order.Add(name);
                var slot = LedgerKeys.SlotOf(name);
                if (slot < 0)
                {
                    using var doc = JsonDocument.ParseValue(ref reader);
                    (Unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = doc.RootElement.Clone();
                }
                else if (reader.TokenType == JsonTokenType.String) Values[slot] = reader.GetString();
                else if (reader.TokenType == JsonTokenType.Null) Values[slot] = null;
                else
                {
                    badKey = name;
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>
    /// One book in the ledger, with every key it was read with kept in its order. An entry read from the file keeps
    /// its bytes and reads its fields only when asked; an entry nobody changed is written back byte for byte.
    /// </summary>
    public sealed class LedgerEntry
    {
        // An entry is small until its fields are read: a ledger may make one for each of 100,000 books.
        private static readonly Dictionary<string, JsonElement> NoUnknownFields = new(StringComparer.Ordinal);
        private readonly string _title;
        private Book? _book;
        private readonly ReadOnlyMemory<byte> _json;
        private readonly int _authorStart, _authorLength; // the author's string in _json (a length of 0: none)
        private readonly bool _jsonIsStrict;
        private readonly BookState _readState;
        private LedgerFields? _fields;

        /// <summary>A new entry, written in full.</summary>
        internal LedgerEntry(Book book)
            : this(book, new LedgerFields())
        {
        }

        /// <summary>
        /// An entry read from the file: its fields stay in <paramref name="json"/> (the book's object) until they are
        /// needed, its book until it is asked for. <paramref name="title"/> is the tidy title; the author is the JSON
        /// string at <paramref name="authorStart"/> in <paramref name="json"/>, if <paramref name="authorLength"/> is
        /// not 0. <paramref name="strict"/> says the bytes have no comment or trailing comma and may be written back
        /// as they are; <paramref name="state"/> is what the stored status reads as.
        /// </summary>
        internal LedgerEntry(string title, ReadOnlyMemory<byte> json, int authorStart, int authorLength, bool strict, BookState state)
        {
            _title = title;
            _json = json;
            _authorStart = authorStart;
            _authorLength = authorLength;
            _jsonIsStrict = strict;
            _readState = state;
        }

        /// <summary>An entry read field by field (the repair's salvage), written in full.</summary>
        internal LedgerEntry(Book book, LedgerFields fields)
        {
            _book = book;
            _title = book.Title;
            _fields = fields;
            IsChanged = true;
        }

        /// <summary>The book the entry records.</summary>
        public Book Book => _book ??= new Book(_title, Author());

        /// <summary>The book's title (the index of a ledger asks every entry for it, and nothing else).</summary>
        internal string Title => _title;

        private string? Author() => _authorLength == 0 ? null : StringAt(_json.Span, _authorStart, _authorLength);

        /// <summary>The JSON string (a whole token, quotes and all) at a place in a book's bytes.</summary>
        internal static string? StringAt(ReadOnlySpan<byte> json, int start, int length)
        {
            var reader = new Utf8JsonReader(json.Slice(start, length));
            reader.Read();
            return reader.GetString();
        }

        /// <summary>True once anything in the entry was changed (it is then written from its fields).</summary>
        internal bool IsChanged { get; private set; }

        /// <summary>
        /// The book's object as it was read, when the entry is unchanged; <paramref name="strict"/> says whether it
        /// is strict JSON (no comment, no trailing comma) that can be written back as it is.
        /// </summary>
        internal bool TryGetUnchanged(out ReadOnlyMemory<byte> json, out bool strict)
        {
            json = _json;
            strict = _jsonIsStrict;
            return !IsChanged && !_json.IsEmpty;
        }

        /// <summary>The status exactly as stored: "done", "processing", null, or anything else an older tool wrote.</summary>
        public string? StatusText { get => Get(LedgerKeys.StatusSlot); set => Set(LedgerKeys.StatusSlot, value); }

        /// <summary>The status as BookBatch understands it.</summary>
        /// <remarks>Planning reads every status: the scan of the file noted it, so this does not read the fields.</remarks>
        public BookState State => _fields is null ? _readState : StateOf(_fields.Values[LedgerKeys.StatusSlot]);

        /// <summary>The published video's URL.</summary>
        public string? YouTubeUrl { get => Get(LedgerKeys.YouTubeUrlSlot); set => Set(LedgerKeys.YouTubeUrlSlot, value); }

        /// <summary>The published short's URL.</summary>
        public string? ShortUrl { get => Get(LedgerKeys.ShortUrlSlot); set => Set(LedgerKeys.ShortUrlSlot, value); }

        /// <summary>When the book was added, as stored.</summary>
        public string? DateAdded { get => Get(LedgerKeys.DateAddedSlot); set => Set(LedgerKeys.DateAddedSlot, value); }

        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string? RunFolder { get => Get(LedgerKeys.RunFolderSlot); set => Set(LedgerKeys.RunFolderSlot, value); }

        /// <summary>When BookBatch last changed the entry, as stored.</summary>
        public string? UpdatedAt { get => Get(LedgerKeys.UpdatedAtSlot); set => Set(LedgerKeys.UpdatedAtSlot, value); }

        /// <summary>The last failure recorded for the book.</summary>
        public string? LastError { get => Get(LedgerKeys.LastErrorSlot); set => Set(LedgerKeys.LastErrorSlot, value); }

        /// <summary>The publishing stage awaiting the operator's word (see <see cref="LedgerKeys.Review"/>), or null.</summary>
        public string? Review { get => Get(LedgerKeys.ReviewSlot); set => Set(LedgerKeys.ReviewSlot, value); }

        /// <summary>Keys of the entry that BookBatch does not know, with their JSON values, kept on every write.</summary>
        public IReadOnlyDictionary<string, JsonElement> UnknownFields => Fields.Unknown ?? NoUnknownFields;

        internal IReadOnlyList<string> KeyOrder => Fields.Order;

        internal void AddUnknown(string key, JsonElement value)
        {
            var fields = Change();
            fields.Unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            if (fields.Unknown.ContainsKey(key)) return;
            fields.Unknown[key] = value;
            if (!fields.Order.Contains(key)) fields.Order.Add(key);
        }

        private string? Get(int slot) => Fields.Values[slot];

        private void Set(int slot, string? value) => Change().Values[slot] = value;

        private LedgerFields Change()
        {
            IsChanged = true;
            return Fields;
        }

        // Every field, read out of the entry's JSON the first time one is asked for.
        private LedgerFields Fields => _fields ??= LedgerFields.Read(_json);

        /// <summary>The fields as they are now, for a view that must not change with the entry.</summary>
        internal LedgerFields CopyFields() => Fields.Copy();

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
        public DateTime? DateAddedValue => DateOf(DateAdded);

        /// <summary>A stored date, if the text is one.</summary>
        internal static DateTime? DateOf(string? text) =>
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value) ? value : null;

        internal string? KnownValue(string key) => key switch
        {
            LedgerKeys.Title => Book.Title,
            LedgerKeys.Author => Book.Author,
            _ => Get(KnownSlot(key, "not a known ledger key")),
        };

        internal static bool IsKnown(string key) => LedgerKeys.SlotOf(key) >= 0;

        internal void SetKnown(string key, string? value)
        {
            if (key == LedgerKeys.Title || key == LedgerKeys.Author) throw new ArgumentOutOfRangeException(nameof(key), key, "not a settable ledger key");
            Set(KnownSlot(key, "not a settable ledger key"), value);
        }

        private static int KnownSlot(string key, string reason)
        {
            var slot = LedgerKeys.SlotOf(key);
            return slot >= 0 ? slot : throw new ArgumentOutOfRangeException(nameof(key), key, reason);
        }

        internal void NoteKey(string key)
        {
            var order = Change().Order;
            if (!order.Contains(key)) order.Add(key);
        }
    }
}
