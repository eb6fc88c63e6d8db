using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Ledger
{
    /// <summary>Reads and writes the old system's <c>database.json</c>, key for key, keeping keys BookBatch does not know.</summary>
    public static class LedgerJson
    {
        private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        private static readonly JsonWriterOptions WriterOptions = new()
        {
            Indented = true,
            // Titles stay readable in the file (the old system's json.dump escaped them; both read the same).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        internal static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

        // What the writer puts before each book of the array: a new line and the book's indentation.
        private static readonly byte[] EntryIndent = Encoding.UTF8.GetBytes(Environment.NewLine + "    ");

        /// <summary>Parses a whole database file. Throws <see cref="LedgerCorruptException"/> with the position of the fault.</summary>
        /// <remarks>
        /// One forward pass over the bytes checks the old system's schema and makes strings of each book's title and author
        /// (its identity) and notes its status (planning reads every one); the rest of a book stays in the file's
        /// bytes until asked for, and a book nobody changes is written back as it was. A fault is located by a
        /// second, slower reading of the file.
        /// </remarks>
        public static BookLedger Parse(byte[] utf8, string path)
        {
            utf8 = TextBytes.ToUtf8(utf8);
            var offset = TextBytes.BomLength(utf8);
            var data = new ReadOnlyMemory<byte>(utf8, offset, utf8.Length - offset);
            if (IsWhitespace(data.Span))
                throw new LedgerCorruptException(path, 1, 1, "the file is empty");
            try
            {
                var ledger = LedgerScan.Scan(data);
                if (ledger != null) return ledger;
            }
            catch (JsonException) { }
            catch (InvalidOperationException) { } // a string of bytes that are not UTF-8: located below
            var invalid = TextBytes.InvalidUtf8At(utf8, offset, utf8.Length);
            if (invalid >= 0)
                throw Fault(invalid - offset, utf8, offset, path,
                    "there are bytes that are not UTF-8 text (was the file saved in another encoding, such as Windows-1252?)");
            // A fault, located as before: broken JSON where JsonDocument reports it, a broken schema by the slow reading.
            try
            {
                using (JsonDocument.Parse(data, DocumentOptions)) { }
            }
            catch (JsonException e)
            {
                throw new LedgerCorruptException(path, (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, JsonFaults.Reason(e), e);
            }
            return ParseSlowly(utf8, offset, path);
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
                throw new LedgerCorruptException(path, (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, JsonFaults.Reason(e), e);
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
            catch (InvalidOperationException) { return null; } // a string of bytes that are not UTF-8
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
                var scratch = new byte[1024];
                // A book nobody asked for is copied from the file's bytes without making its entry.
                for (var i = 0; i < ledger.Books.Count; i++)
                {
                    if (ledger.TryGetUnread(i, out var unread, out var strict)) WriteUnchanged(writer, unread, strict, ref scratch);
                    else WriteEntry(writer, ledger.Books[i], ref scratch);
                }
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

        private static void WriteEntry(Utf8JsonWriter writer, LedgerEntry entry, ref byte[] scratch)
        {
            if (entry.TryGetUnchanged(out var json, out var strict))
            {
                WriteUnchanged(writer, json, strict, ref scratch);
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
            foreach (var key in LedgerKeys.OldSystem)
                if (!entry.KeyOrder.Contains(key)) WriteKnown(writer, entry, key);
            foreach (var key in LedgerKeys.Added)
                if (!entry.KeyOrder.Contains(key) && entry.KnownValue(key) != null) WriteKnown(writer, entry, key);
            writer.WriteEndObject();
        }

        // A book as it was read: its bytes when they are strict JSON, else its values from a lenient reading.
        private static void WriteUnchanged(Utf8JsonWriter writer, ReadOnlyMemory<byte> json, bool strict, ref byte[] scratch)
        {
            if (strict) WriteRaw(writer, json.Span, ref scratch);
            else
            {
                using var lenient = JsonDocument.Parse(json, DocumentOptions);
                lenient.RootElement.WriteTo(writer);
            }
        }

        // A book's bytes as they were read, put where the writer would have put the book: the writer adds the
        // comma before a raw value but not the line break and indentation of its indented layout.
        private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> json, ref byte[] scratch)
        {
            var length = EntryIndent.Length + json.Length;
            if (scratch.Length < length) scratch = new byte[Math.Max(length, 2 * scratch.Length)];
            EntryIndent.CopyTo(scratch, 0);
            json.CopyTo(new Span<byte>(scratch, EntryIndent.Length, json.Length));
            writer.WriteRawValue(new ReadOnlySpan<byte>(scratch, 0, length), skipInputValidation: true); // the scan checked it
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
            var fields = new LedgerFields();
            if (!fields.Read(ref reader, out var badKey))
                throw Fault(ref reader, file, offset, path, $"\"{badKey}\" must be a string or null");
            var title = fields.Values[LedgerKeys.TitleSlot];
            if (string.IsNullOrWhiteSpace(title))
                throw Fault(start, file, offset, path, "a book has no \"main_title\"");
            return new LedgerEntry(new Book(title!, fields.Values[LedgerKeys.AuthorSlot]), fields);
        }

        private static LedgerCorruptException Fault(ref Utf8JsonReader reader, byte[] file, int offset, string path, string reason) =>
            Fault(reader.TokenStartIndex, file, offset, path, reason);

        private static LedgerCorruptException Fault(long index, byte[] file, int offset, string path, string reason)
        {
            var (line, column) = TextBytes.Position(file, offset, index);
            return new LedgerCorruptException(path, line, column, reason);
        }

        private static bool IsWhitespace(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
                if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return false;
            return true;
        }
    }
}
