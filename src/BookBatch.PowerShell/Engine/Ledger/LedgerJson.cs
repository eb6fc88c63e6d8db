using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>Reads and writes the seed's <c>database.json</c>, key for key, keeping keys BookBatch does not know.</summary>
    public static class LedgerJson
    {
        private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            Indented = true,
            // Titles stay readable in the file (the seed's json.dump escaped them; both read the same).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        /// <summary>Parses a whole database file. Throws <see cref="LedgerCorruptException"/> with the position of the fault.</summary>
        /// <remarks>
        /// The file is parsed once into a JsonDocument that the ledger keeps: each book's title and author become
        /// strings (they are its identity), everything else is read only when asked for, and a book nobody changes
        /// is written back as it was. A schema fault is located by a second, slower reading of the file.
        /// </remarks>
        public static BookLedger Parse(byte[] utf8, string path)
        {
            utf8 = TextBytes.ToUtf8(utf8);
            var offset = TextBytes.BomLength(utf8);
            var data = new ReadOnlyMemory<byte>(utf8, offset, utf8.Length - offset);
            if (IsWhitespace(data.Span))
                throw new LedgerCorruptException(path, 1, 1, "the file is empty");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(data, DocumentOptions);
            }
            catch (JsonException e)
            {
                throw new LedgerCorruptException(path, (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, FirstSentence(e.Message), e);
            }
            return FromDocument(document) ?? ParseSlowly(utf8, offset, path);
        }

        // Null when the document is not the seed's schema: the slow reading then says where.
        private static BookLedger? FromDocument(JsonDocument document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            var books = new List<LedgerEntry>();
            var other = new List<KeyValuePair<string, JsonElement>>();
            foreach (var property in root.EnumerateObject())
            {
                if (!property.NameEquals(LedgerKeys.Books))
                {
                    other.Add(new KeyValuePair<string, JsonElement>(property.Name, property.Value));
                    continue;
                }
                if (property.Value.ValueKind != JsonValueKind.Array) return null;
                books.Capacity = property.Value.GetArrayLength();
                foreach (var element in property.Value.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object) return null;
                    string? title = null, author = null;
                    foreach (var field in element.EnumerateObject())
                    {
                        var kind = field.Value.ValueKind;
                        if (field.NameEquals(LedgerKeys.Title))
                        {
                            if (kind != JsonValueKind.String) return null;
                            title = field.Value.GetString();
                        }
                        else if (field.NameEquals(LedgerKeys.Author))
                        {
                            if (kind == JsonValueKind.String) author = field.Value.GetString();
                            else if (kind != JsonValueKind.Null) return null;
                        }
                        else if (kind != JsonValueKind.String && kind != JsonValueKind.Null && LedgerEntry.IsKnown(field.Name)) return null;
                    }
                    if (string.IsNullOrWhiteSpace(title)) return null;
                    books.Add(new LedgerEntry(new Book(title!, author), element));
                }
            }
            return new BookLedger(books, other);
        }

        private static BookLedger ParseSlowly(byte[] utf8, int offset, string path)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(utf8, offset, utf8.Length - offset), ReaderOptions);
            try
            {
                return ReadLedger(ref reader, utf8, offset, path);
            }
            catch (JsonException e)
            {
                throw new LedgerCorruptException(path, (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, FirstSentence(e.Message), e);
            }
        }

        /// <summary>Parses one book object (used by the repair to salvage books from a damaged file).</summary>
        internal static LedgerEntry? TryParseEntry(ReadOnlySpan<byte> utf8)
        {
            try
            {
                var reader = new Utf8JsonReader(utf8, ReaderOptions);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
                return ReadEntry(ref reader, Array.Empty<byte>(), 0, string.Empty);
            }
            catch (JsonException) { return null; }
            catch (LedgerCorruptException) { return null; }
        }

        /// <summary>Writes the whole ledger as indented UTF-8 JSON.</summary>
        public static byte[] Write(BookLedger ledger)
        {
            using var stream = new MemoryStream(64 + ledger.Books.Count * 300);
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteStartArray(LedgerKeys.Books);
                foreach (var entry in ledger.Books) WriteEntry(writer, entry);
                writer.WriteEndArray();
                foreach (var pair in ledger.OtherKeys)
                {
                    writer.WritePropertyName(pair.Key);
                    pair.Value.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
            return stream.ToArray();
        }

        private static void WriteEntry(Utf8JsonWriter writer, LedgerEntry entry)
        {
            if (entry.TryGetSource(out var unchanged))
            {
                unchanged.WriteTo(writer);
                return;
            }
            writer.WriteStartObject();
            foreach (var key in entry.KeyOrder)
            {
                if (LedgerEntry.IsKnown(key)) WriteKnown(writer, entry, key);
                else if (entry.UnknownFields.TryGetValue(key, out var value))
                {
                    writer.WritePropertyName(key);
                    value.WriteTo(writer);
                }
            }
            foreach (var key in LedgerKeys.Seed)
                if (!entry.KeyOrder.Contains(key)) WriteKnown(writer, entry, key);
            foreach (var key in LedgerKeys.Added)
                if (!entry.KeyOrder.Contains(key) && entry.KnownValue(key) != null) WriteKnown(writer, entry, key);
            writer.WriteEndObject();
        }

        private static void WriteKnown(Utf8JsonWriter writer, LedgerEntry entry, string key)
        {
            var value = entry.KnownValue(key);
            if (value is null) writer.WriteNull(key);
            else writer.WriteString(key, value);
        }

        private static BookLedger ReadLedger(ref Utf8JsonReader reader, byte[] file, int offset, string path)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                throw Fault(ref reader, file, offset, path, "the file must hold a JSON object with a \"books\" array");
            var books = new List<LedgerEntry>();
            var other = new List<KeyValuePair<string, JsonElement>>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name == LedgerKeys.Books)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw Fault(ref reader, file, offset, path, "\"books\" must be an array of book objects");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                            throw Fault(ref reader, file, offset, path, $"book {books.Count + 1} is not a JSON object");
                        books.Add(ReadEntry(ref reader, file, offset, path));
                    }
                }
                else
                {
                    using var doc = JsonDocument.ParseValue(ref reader);
                    other.Add(new KeyValuePair<string, JsonElement>(name, doc.RootElement.Clone()));
                }
            }
            if (reader.Read())
                throw Fault(ref reader, file, offset, path, "there is more after the end of the database object");
            return new BookLedger(books, other);
        }

        private static LedgerEntry ReadEntry(ref Utf8JsonReader reader, byte[] file, int offset, string path)
        {
            var start = reader.TokenStartIndex;
            var order = new List<string>(9);
            Dictionary<string, JsonElement>? unknown = null;
            string? title = null, author = null;
            var known = new string?[LedgerKeys.Seed.Length + LedgerKeys.Added.Length];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!order.Contains(name)) order.Add(name);
                var slot = KnownSlot(name);
                if (slot < 0)
                {
                    using var doc = JsonDocument.ParseValue(ref reader);
                    unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    unknown[name] = doc.RootElement.Clone();
                    continue;
                }
                string? value;
                if (reader.TokenType == JsonTokenType.String) value = reader.GetString();
                else if (reader.TokenType == JsonTokenType.Null) value = null;
                else throw Fault(ref reader, file, offset, path, $"\"{name}\" must be a string or null");
                if (name == LedgerKeys.Title) title = value;
                else if (name == LedgerKeys.Author) author = value;
                else known[slot] = value;
            }
            if (string.IsNullOrWhiteSpace(title))
                throw Fault(start, file, offset, path, "a book has no \"main_title\"");
            var entry = new LedgerEntry(new Book(title!, author), order, unknown);
            for (var i = 2; i < known.Length; i++)
            {
                var key = i < LedgerKeys.Seed.Length ? LedgerKeys.Seed[i] : LedgerKeys.Added[i - LedgerKeys.Seed.Length];
                if (known[i] != null) entry.SetKnown(key, known[i]);
            }
            return entry;
        }

        private static int KnownSlot(string name)
        {
            var i = Array.IndexOf(LedgerKeys.Seed, name);
            if (i >= 0) return i;
            i = Array.IndexOf(LedgerKeys.Added, name);
            return i >= 0 ? LedgerKeys.Seed.Length + i : -1;
        }

        private static LedgerCorruptException Fault(ref Utf8JsonReader reader, byte[] file, int offset, string path, string reason) =>
            Fault(reader.TokenStartIndex, file, offset, path, reason);

        private static LedgerCorruptException Fault(long index, byte[] file, int offset, string path, string reason)
        {
            // Line and column of a byte index, counted the way an editor shows them.
            long line = 1, column = 1;
            for (long i = offset; i < offset + index && i < file.Length; i++)
            {
                if (file[i] == (byte)'\n') { line++; column = 1; }
                else if ((file[i] & 0xC0) != 0x80) column++;
            }
            return new LedgerCorruptException(path, line, column, reason);
        }

        private static bool IsWhitespace(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
            return true;
        }

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return (cut > 0 ? message.Substring(0, cut) : message).TrimEnd('.', ' ');
        }
    }
}
