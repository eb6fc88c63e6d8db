using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
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
