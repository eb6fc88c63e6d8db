using System;
using System.Collections.Generic;
using System.Text.Json;

namespace BookBatch.Engine.Ledger
{
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
}
