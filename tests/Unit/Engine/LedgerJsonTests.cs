using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class LedgerJsonTests
    {
        internal const string OldSystemDatabase = @"{
  ""books"": [
    {
      ""main_title"": ""Atomic Habits"",
      ""author_name"": ""James Clear"",
      ""status"": ""done"",
      ""youtube_url"": ""https://youtube.com/watch?v=abc"",
      ""short_url"": ""https://youtube.com/shorts/def"",
      ""date_added"": ""2025-10-19T10:30:00"",
      ""run_folder"": ""2025-10-19_10-30-00_Atomic-Habits"",
      ""channel"": {""name"": ""main"", ""tags"": [1, 2]}
    },
    {
      ""main_title"": ""Deep Work"",
      ""author_name"": null,
      ""status"": ""processing"",
      ""youtube_url"": null,
      ""short_url"": null,
      ""date_added"": ""2025-10-20T08:00:00.123456"",
      ""run_folder"": ""2025-10-20_08-00-00_Deep-Work""
    }
  ],
  ""version"": 2
}";

        private static BookLedger Parse(string json) => LedgerJson.Parse(Encoding.UTF8.GetBytes(json), "database.json");

        [Fact]
        public void ReadsTheOldSystemsFormat()
        {
            var ledger = Parse(OldSystemDatabase);
            Assert.Equal(2, ledger.Books.Count);
            var first = ledger.Books[0];
            Assert.Equal("Atomic Habits", first.Book.Title);
            Assert.Equal(BookState.Done, first.State);
            Assert.Equal("https://youtube.com/shorts/def", first.ShortUrl);
            Assert.Equal(new DateTime(2025, 10, 19, 10, 30, 0), first.DateAddedValue);
            Assert.Equal(BookState.Processing, ledger.Books[1].State);
            Assert.Null(ledger.Books[1].Book.Author);
        }

        [Fact]
        public void WritesBackKeyForKeyWithUnknownFieldsInPlace()
        {
            var written = Encoding.UTF8.GetString(LedgerJson.Write(Parse(OldSystemDatabase)));
            using var before = JsonDocument.Parse(OldSystemDatabase);
            using var after = JsonDocument.Parse(written);
            Assert.Equal(Canonical(before.RootElement), Canonical(after.RootElement));
            var keys = after.RootElement.GetProperty("books")[0].EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(new[] { "main_title", "author_name", "status", "youtube_url", "short_url", "date_added", "run_folder", "channel" }, keys);
        }

        [Fact]
        public void WritesEveryOldSystemKeyForANewBook()
        {
            var ledger = BookLedger.Empty();
            ledger.Add(new Book("Deep Work", "Cal Newport"), new DateTime(2026, 1, 2, 3, 4, 5));
            using var doc = JsonDocument.Parse(LedgerJson.Write(ledger));
            var book = doc.RootElement.GetProperty("books")[0];
            Assert.Equal("processing", book.GetProperty("status").GetString());
            Assert.Equal("2026-01-02T03:04:05", book.GetProperty("date_added").GetString());
            Assert.Equal(JsonValueKind.Null, book.GetProperty("youtube_url").ValueKind);
            foreach (var key in new[] { "main_title", "author_name", "status", "youtube_url", "short_url", "date_added", "run_folder" })
                Assert.True(book.TryGetProperty(key, out _), key);
        }

        [Fact]
        public void KeepsAnUnknownStatusVerbatim()
        {
            var ledger = Parse(@"{""books"": [{""main_title"": ""X"", ""status"": ""failed""}]}");
            Assert.Equal(BookState.Unknown, ledger.Books[0].State);
            using var doc = JsonDocument.Parse(LedgerJson.Write(ledger));
            Assert.Equal("failed", doc.RootElement.GetProperty("books")[0].GetProperty("status").GetString());
        }

        [Theory]
        [InlineData("{\"books\": [ {\"main_title\": \"A\"", 1)]
        [InlineData("{\n  \"books\": [\n    {\"main_title\": 42}\n  ]\n}", 3)]
        [InlineData("{\n  \"books\": {}\n}", 2)]
        [InlineData("[]", 1)]
        [InlineData("", 1)]
        [InlineData("{\"books\": [{\"author_name\": \"no title\"}]}", 1)]
        public void ReportsWhereTheDatabaseIsDamaged(string json, int line)
        {
            var e = Assert.Throws<LedgerCorruptException>(() => Parse(json));
            Assert.Equal(line, e.Line);
            Assert.Contains("Repair-BookDatabase", e.Message);
            Assert.Contains("database.json", e.Message);
        }

        [Fact]
        public void FindsATitleOnlyLineWhenExactlyOneBookHasThatTitle()
        {
            var ledger = Parse(OldSystemDatabase);
            Assert.Same(ledger.Books[0], ledger.Find(new Book("ATOMIC habits")).Entry);
        }

        [Fact]
        public void ATitleOnlyLineMatchingSeveralBooksIsAmbiguous()
        {
            var ledger = BookLedger.Empty();
            ledger.Add(new Book("Meditations", "Marcus Aurelius"), DateTime.Now);
            ledger.Add(new Book("Meditations", "Ryan Holiday"), DateTime.Now);
            var match = ledger.Find(new Book("meditations"));
            Assert.True(match.IsAmbiguous);
            Assert.Equal(2, match.Ambiguous.Count);
            var e = Assert.Throws<BookAmbiguousException>(() => ledger.FindExisting(new Book("Meditations")));
            Assert.Contains("Marcus Aurelius", e.Message);
            Assert.Contains("Ryan Holiday", e.Message);
        }

        [Fact]
        public void ALineWithAnAuthorFindsTheOneBookRecordedWithoutAuthor()
        {
            var ledger = Parse(OldSystemDatabase);
            Assert.Same(ledger.Books[1], ledger.Find(new Book("Deep Work", "Cal Newport")).Entry);
            Assert.Null(ledger.Find(new Book("Atomic Habits", "Someone Else")).Entry);
        }

        // What the old system's json.load accepts: no comments, no trailing commas.
        private static JsonDocument ParseStrictly(byte[] written) =>
            JsonDocument.Parse(written, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });

        [Fact]
        public void WritesAnUnchangedLedgerBackByteForByte()
        {
            var once = LedgerJson.Write(Parse(OldSystemDatabase));
            var twice = LedgerJson.Write(LedgerJson.Parse(once, "database.json"));
            Assert.Equal(Encoding.UTF8.GetString(once), Encoding.UTF8.GetString(twice));
        }

        [Fact]
        public void WritesAnUnchangedBookAsItWasReadWhenAnotherChanges()
        {
            var written = Encoding.UTF8.GetString(LedgerJson.Write(Parse(OldSystemDatabase)));
            var ledger = Parse(written);
            ledger.Books[1].StatusText = LedgerKeys.StatusDone;
            var rewritten = Encoding.UTF8.GetString(LedgerJson.Write(ledger));
            var firstBook = written.Substring(written.IndexOf('{', 1), written.IndexOf("\"Deep Work\"", StringComparison.Ordinal) - written.IndexOf('{', 1));
            Assert.StartsWith(written.Substring(0, written.IndexOf('{', 1)) + firstBook, rewritten);
            using var doc = ParseStrictly(Encoding.UTF8.GetBytes(rewritten));
            Assert.Equal("done", doc.RootElement.GetProperty("books")[1].GetProperty("status").GetString());
            Assert.Equal(2, doc.RootElement.GetProperty("version").GetInt32());
        }

        [Theory]
        [InlineData("{\"books\": [{\"main_title\": \"A\", /* note */ \"status\": \"done\", \"extra\": {\"tags\": [1, 2]}}]}")]
        [InlineData("{\"books\": [{\"main_title\": \"A\", \"status\": \"done\", \"extra\": {\"tags\": [1, 2]}, }]}")]
        [InlineData("{\"books\": [{\"main_title\": \"A\", \"status\": \"done\", \"extra\": {\"tags\": [1, 2,]}}]}")]
        [InlineData("{\"books\": [{\"main_title\": \"A\", \"status\": \"done\", \"extra\": {\"tags\": [1, 2] // note\n}}]}")]
        [InlineData("{\"books\": [{\"main_title\": \"A\", \"status\": \"done\", \"extra\": {\"tags\": [1, 2]}},],}")]
        public void WritesABookWithACommentOrATrailingCommaAsStrictJson(string json)
        {
            var ledger = Parse(json);
            Assert.Equal(BookState.Done, ledger.Books[0].State);
            using var doc = ParseStrictly(LedgerJson.Write(ledger));
            var book = doc.RootElement.GetProperty("books")[0];
            Assert.Equal("A", book.GetProperty("main_title").GetString());
            Assert.Equal("done", book.GetProperty("status").GetString());
            Assert.Equal("[1,2]", book.GetProperty("extra").GetProperty("tags").GetRawText().Replace(" ", string.Empty).Replace("\n", string.Empty));
        }

        [Fact]
        public void KeepsUnknownNestedValuesOfAChangedBook()
        {
            var ledger = Parse(OldSystemDatabase);
            ledger.Books[0].LastError = "render failed";
            using var doc = ParseStrictly(LedgerJson.Write(ledger));
            var channel = doc.RootElement.GetProperty("books")[0].GetProperty("channel");
            Assert.Equal("main", channel.GetProperty("name").GetString());
            Assert.Equal(new[] { 1, 2 }, channel.GetProperty("tags").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal("render failed", doc.RootElement.GetProperty("books")[0].GetProperty("last_error").GetString());
        }

        [Fact]
        public void KeepsTopLevelKeysWrittenWithComments()
        {
            var ledger = Parse("{\"version\": /* v */ 2, \"books\": [], \"meta\": {\"by\": [\"old\",]}, // end\n}");
            using var doc = ParseStrictly(LedgerJson.Write(ledger));
            Assert.Equal(2, doc.RootElement.GetProperty("version").GetInt32());
            Assert.Equal("old", doc.RootElement.GetProperty("meta").GetProperty("by")[0].GetString());
        }

        [Fact]
        public void ReadsEscapedAndDecomposedText()
        {
            var ledger = Parse("{\"books\": [{\"main\\u005ftitle\": \"Caf\\u00e9 \\\"Noir\\\"\", \"author_name\": \"Rene\\u0301e\"}, {\"main_title\": \"Cafe\u0301  Society\"}]}");
            Assert.Equal("Caf\u00e9 \"Noir\"", ledger.Books[0].Book.Title);
            Assert.Equal("Ren\u00e9e", ledger.Books[0].Book.Author);
            Assert.Equal("Caf\u00e9 Society", ledger.Books[1].Book.Title);
            Assert.Same(ledger.Books[0], ledger.Find(new Book("CAF\u00c9 \"noir\"", "Ren\u00e9e")).Entry);
        }

        [Theory]
        [InlineData("\"DONE\"", "Done")]
        [InlineData("\"processing\"", "Processing")]
        [InlineData("\"pro\\u0063essing\"", "Processing")]
        [InlineData("\"failed\"", "Unknown")]
        [InlineData("null", "Unknown")]
        public void ReadsTheStatusTheSameBeforeAndAfterTheFieldsAreRead(string status, string stateName)
        {
            var state = Enum.Parse<BookState>(stateName);
            var ledger = Parse("{\"books\": [{\"main_title\": \"A\", \"status\": \"done\", \"status\": " + status + "}]}");
            Assert.Equal(state, ledger.Books[0].State);
            _ = ledger.Books[0].StatusText;
            Assert.Equal(state, ledger.Books[0].State);
        }

        [Theory]
        [InlineData("{\n  \"books\": [\n    {\"main_title\": \"A\", \"status\": 42}\n  ]\n}", 3, 35, "\"status\" must be a string or null")]
        [InlineData("{\n  \"books\": [\n    /* c */ {\"main_title\": \"A\"},\n    {\"main_title\": \"B\", \"author_name\": []}\n  ]\n}", 4, 40, "\"author_name\" must be a string or null")]
        [InlineData("{\n  \"books\": [\n    {\"main_title\": \"A\"}\n  ]\n}\n[]", 6, 1, "")]
        public void ReportsTheLineAndColumnOfASchemaFault(string json, int line, int column, string reason)
        {
            var e = Assert.Throws<LedgerCorruptException>(() => Parse(json));
            Assert.Equal((line, column), ((int)e.Line, (int)e.Column));
            Assert.Contains(reason, e.Reason);
        }

        private const string SameTitles = @"{""books"": [
            {""main_title"": ""Meditations"", ""author_name"": ""Marcus Aurelius""},
            {""main_title"": ""Deep Work""},
            {""main_title"": ""MEDITATIONS"", ""author_name"": ""Ryan Holiday""},
            {""main_title"": ""meditations""}]}";

        [Fact]
        public void ABookReadFromTheFileIsTheSameEntryEveryTimeItIsAskedFor()
        {
            var ledger = Parse(SameTitles);
            var deepWork = ledger.Find(new Book("deep work")).Entry;
            Assert.Same(ledger.Books[1], deepWork);
            Assert.Same(deepWork, ledger.Books.ToList()[1]);
            Assert.Same(deepWork!.Book, ledger.Books[1].Book);
        }

        [Fact]
        public void FindsBooksSharingATitleInFileOrderAfterAddsAndRemoves()
        {
            var ledger = Parse(SameTitles);
            Assert.Same(ledger.Books[3], ledger.Find(new Book("Meditations")).Entry); // the one without an author
            Assert.Same(ledger.Books[3], ledger.Find(new Book("Meditations", "Someone Else")).Entry);
            var added = ledger.Add(new Book("Meditations", "Someone Else"), DateTime.Now);
            Assert.Same(added, ledger.Find(new Book("meditations", "someone else")).Entry);

            var first = ledger.Books[0];
            var ryan = ledger.Books[2];
            Assert.True(ledger.Remove(ledger.Books[3]));
            Assert.True(ledger.Remove(ledger.Books[1]));
            Assert.False(ledger.Remove(new LedgerEntry(new Book("Deep Work"))));
            Assert.Equal(new[] { "Marcus Aurelius", "Ryan Holiday", "Someone Else" }, ledger.Books.Select(e => e.Book.Author));
            Assert.Same(first, ledger.Books[0]);
            Assert.Same(ryan, ledger.Books[1]);
            Assert.Same(added, ledger.Books[2]);
            Assert.Null(ledger.Find(new Book("Deep Work")).Entry);
            Assert.Equal(new[] { "Marcus Aurelius", "Ryan Holiday", "Someone Else" },
                ledger.Find(new Book("Meditations")).Ambiguous.Select(e => e.Book.Author));

            using var doc = ParseStrictly(LedgerJson.Write(ledger));
            Assert.Equal(3, doc.RootElement.GetProperty("books").GetArrayLength());
            Assert.Equal("Ryan Holiday", doc.RootElement.GetProperty("books")[1].GetProperty("author_name").GetString());
        }

        private static string Canonical(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "{" + string.Join(",", e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + ":" + Canonical(p.Value))) + "}",
            JsonValueKind.Array => "[" + string.Join(",", e.EnumerateArray().Select(Canonical)) + "]",
            _ => e.GetRawText(),
        };
    }
}
