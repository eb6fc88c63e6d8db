using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// The fast reading of <c>database.json</c>: one forward pass that checks the schema, notes where each book's
    /// title, author and object are in the file's bytes and its status, and leaves the rest of a book in those bytes
    /// until it is asked for. It notices comments and trailing commas, so a book that has them is not copied back as it was.
    /// </summary>
    internal static class LedgerScan
    {
        // The scan lets comments through as tokens, to notice them in a book's bytes.
        private static readonly JsonReaderOptions ScanOptions = new() { CommentHandling = JsonCommentHandling.Allow, AllowTrailingCommas = true };

        private static readonly byte[] BooksUtf8 = Encoding.UTF8.GetBytes(LedgerKeys.Books);

        /// <summary>The ledger of a whole file in one forward pass; null when the JSON is not the ledger's schema (the slow reading of <see cref="LedgerJson"/> then says where).</summary>
        internal static BookLedger? Scan(ReadOnlyMemory<byte> data)
        {
            var json = data.Span;
            var reader = new Utf8JsonReader(json, ScanOptions);
            var strict = true; // outside the books nobody asks
            if (!Next(ref reader, json, ref strict) || reader.TokenType != JsonTokenType.StartObject) return null;
            var books = new ScannedBook[Math.Max(16, data.Length / 256)]; // about the size of a book the old system wrote
            var count = 0;
            var other = new List<KeyValuePair<string, JsonElement>>();
            while (Next(ref reader, json, ref strict) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals(BooksUtf8))
                {
                    var name = reader.GetString()!;
                    Next(ref reader, json, ref strict);
                    var start = (int)reader.TokenStartIndex;
                    SkipValue(ref reader, json, ref strict);
                    using var value = JsonDocument.Parse(data.Slice(start, (int)reader.BytesConsumed - start), LedgerJson.DocumentOptions);
                    other.Add(new KeyValuePair<string, JsonElement>(name, value.RootElement.Clone()));
                    continue;
                }
                Next(ref reader, json, ref strict);
                if (reader.TokenType != JsonTokenType.StartArray) return null;
                while (Next(ref reader, json, ref strict) && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) return null;
                    if (!ScanBook(ref reader, data, out var book)) return null;
                    if (count == books.Length) Array.Resize(ref books, 2 * count);
                    books[count++] = book;
                }
            }
            return Next(ref reader, json, ref strict) ? null : new BookLedger(data, books, count, other);
        }

        // The book object whose start the reader is at, through its end; false when it breaks the schema.
        private static bool ScanBook(ref Utf8JsonReader reader, ReadOnlyMemory<byte> data, out ScannedBook book)
        {
            book = default;
            var bytes = data.Span;
            var start = (int)reader.TokenStartIndex;
            var strict = true;
            string? title = null;
            int titleStart = 0, titleLength = 0, authorStart = 0, authorLength = 0;
            var state = BookState.Unknown;
            var expected = 0; // the old system writes the known keys in slot order: try the next one first
            while (Next(ref reader, bytes, ref strict) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var slot = SlotOf(ref reader, expected);
                if (slot >= 0) expected = slot + 1;
                Next(ref reader, bytes, ref strict);
                var token = reader.TokenType;
                switch (slot)
                {
                    case -1:
                        SkipValue(ref reader, bytes, ref strict); // anything goes in a key BookBatch does not know
                        break;
                    case LedgerKeys.TitleSlot:
                        if (token != JsonTokenType.String) return false;
                        title = reader.GetString();
                        titleStart = (int)reader.TokenStartIndex - start;
                        titleLength = (int)reader.BytesConsumed - start - titleStart;
                        break;
                    case LedgerKeys.AuthorSlot:
                        if (token == JsonTokenType.String)
                        {
                            authorStart = (int)reader.TokenStartIndex - start;
                            authorLength = (int)reader.BytesConsumed - start - authorStart;
                        }
                        else if (token != JsonTokenType.Null) return false;
                        break;
                    default:
                        if (token != JsonTokenType.String && token != JsonTokenType.Null) return false;
                        if (slot == LedgerKeys.StatusSlot) state = token == JsonTokenType.Null ? BookState.Unknown : StateOf(ref reader);
                        break;
                }
            }
            if (string.IsNullOrWhiteSpace(title)) return false;
            var json = data.Slice(start, (int)reader.BytesConsumed - start);
            // The title string only gives its hash and is dropped: the entry reads it again if the book is asked for.
            book = new ScannedBook(Book.Comparer.GetHashCode(Book.TidyTitle(title!)), start, json.Length, titleStart, titleLength, authorStart, authorLength, strict, state);
            return true;
        }

        private static int SlotOf(ref Utf8JsonReader reader, int expected)
        {
            var known = LedgerKeys.KnownUtf8;
            if (expected < known.Length && reader.ValueTextEquals(known[expected])) return expected;
            for (var slot = 0; slot < known.Length; slot++)
                if (slot != expected && reader.ValueTextEquals(known[slot])) return slot;
            return -1;
        }

        private static BookState StateOf(ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals(StatusDoneUtf8)) return BookState.Done;
            if (reader.ValueTextEquals(StatusProcessingUtf8)) return BookState.Processing;
            return LedgerEntry.StateOf(reader.GetString());
        }

        private static readonly byte[] StatusDoneUtf8 = Encoding.UTF8.GetBytes(LedgerKeys.StatusDone);
        private static readonly byte[] StatusProcessingUtf8 = Encoding.UTF8.GetBytes(LedgerKeys.StatusProcessing);

        // The next token that is not a comment. A comment, or a trailing comma before a closing bracket, clears
        // strict: such bytes are JSON only to a lenient reader (not to the old system's json.load), so they are not copied.
        private static bool Next(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref bool strict)
        {
            var end = (int)reader.BytesConsumed;
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token == JsonTokenType.Comment)
                {
                    strict = false;
                    continue;
                }
                if ((token == JsonTokenType.EndObject || token == JsonTokenType.EndArray)
                    && json.Slice(end, (int)reader.TokenStartIndex - end).IndexOf((byte)',') >= 0)
                    strict = false;
                return true;
            }
            return false;
        }

        // Moves the reader to the last token of the value it is at.
        private static void SkipValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ref bool strict)
        {
            if (reader.TokenType != JsonTokenType.StartObject && reader.TokenType != JsonTokenType.StartArray) return;
            var depth = reader.CurrentDepth;
            while (Next(ref reader, json, ref strict) && reader.CurrentDepth > depth) { }
        }
    }
}
