using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Ledger;

namespace BookBatch.Postgres
{
    /// <summary>
    /// A ledger as rows and back: each book's object and each other top-level key exactly as <see cref="LedgerJson"/>
    /// writes it, so rows joined and written out again give the same bytes as the file store writes.
    /// </summary>
    internal static class LedgerRows
    {
        /// <summary>The books' objects and the other top-level keys of <paramref name="ledger"/>, as database.json would have them.</summary>
        public static (List<string> Books, List<KeyValuePair<string, string>> Keys) Split(BookLedger ledger)
        {
            var file = LedgerJson.Write(ledger);
            var books = new List<string>(ledger.Books.Count);
            var keys = new List<KeyValuePair<string, string>>();
            var reader = new Utf8JsonReader(file);
            reader.Read(); // the database object
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name == LedgerKeys.Books)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) books.Add(Slice(ref reader, file));
                }
                else keys.Add(new KeyValuePair<string, string>(name, Slice(ref reader, file)));
            }
            return (books, keys);
        }

        /// <summary>The ledger of <paramref name="books"/> (in order) and <paramref name="keys"/>; <paramref name="source"/> names it in errors.</summary>
        public static BookLedger Join(IEnumerable<string> books, IEnumerable<KeyValuePair<string, string>> keys, string source)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteStartArray(LedgerKeys.Books);
                foreach (var book in books) writer.WriteRawValue(book, skipInputValidation: true);
                writer.WriteEndArray();
                foreach (var pair in keys)
                {
                    writer.WritePropertyName(pair.Key);
                    writer.WriteRawValue(pair.Value, skipInputValidation: true);
                }
                writer.WriteEndObject();
            }
            return LedgerJson.Parse(stream.ToArray(), source);
        }

        // The value the reader is at, through its end, as text.
        private static string Slice(ref Utf8JsonReader reader, byte[] file)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            return Encoding.UTF8.GetString(file, start, (int)reader.BytesConsumed - start);
        }
    }
}
