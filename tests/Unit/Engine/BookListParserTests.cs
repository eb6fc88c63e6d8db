using System.Linq;
using BookBatch.Engine.Books;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class BookListParserTests
    {
        [Fact]
        public void SplitsTitleAndAuthorOnTheLastSpacedBar()
        {
            var line = BookListParser.ParseLine("Sapiens | Part 1 | Yuval Noah Harari");
            Assert.Equal("Sapiens | Part 1", line.Book!.Title);
            Assert.Equal("Yuval Noah Harari", line.Book.Author);
        }

        [Fact]
        public void KeepsABarWithoutSpacesInTheTitle()
        {
            var line = BookListParser.ParseLine("AC|DC: The Story");
            Assert.Equal("AC|DC: The Story", line.Book!.Title);
            Assert.Null(line.Book.Author);
        }

        [Fact]
        public void ReadsTitleOnlyLines()
        {
            var line = BookListParser.ParseLine("The Alchemist");
            Assert.Equal("The Alchemist", line.Book!.Title);
            Assert.Null(line.Book.Author);
        }

        [Fact]
        public void IgnoresCommentsBlankLinesBomAndCrlf()
        {
            var text = "\uFEFF# my books\r\n\r\n   \r\nAtomic Habits | James Clear\r\n  # indented comment\r\nDeep Work\r\n";
            var lines = BookListParser.ParseText(text).ToList();
            Assert.Equal(6, lines.Count);
            var books = lines.Where(l => l.Book != null).Select(l => (l.LineNumber, l.Book!.ToString())).ToList();
            Assert.Equal(new[] { (4, "Atomic Habits | James Clear"), (6, "Deep Work") }, books);
            Assert.All(lines.Where(l => l.Book is null), l => Assert.True(l.IsEmpty));
        }

        [Fact]
        public void ABomOnTheFirstBookLineIsNotPartOfTheTitle()
        {
            Assert.Equal("Atomic Habits", BookListParser.ParseLine("\uFEFFAtomic Habits | James Clear").Book!.Title);
        }

        [Theory]
        [InlineData(" | James Clear", "no title")]
        [InlineData("Atomic Habits | ", "names no author")]
        public void RejectsLinesThatAreNotBooks(string text, string reason)
        {
            var line = BookListParser.ParseLine(text, 3);
            Assert.Null(line.Book);
            Assert.False(line.IsEmpty);
            Assert.Contains(reason, line.Error);
            Assert.Equal(3, line.LineNumber);
        }

        [Fact]
        public void RejectsTitlesLongerThanTheLimit()
        {
            var line = BookListParser.ParseLine(new string('x', BookListParser.MaxNameLength + 1));
            Assert.Null(line.Book);
            Assert.Contains("longer than", line.Error);
        }
    }

    public class BookIdentityTests
    {
        [Fact]
        public void IgnoresCaseAndWhitespace()
        {
            Assert.Equal(new Book("Atomic Habits", "James Clear"), new Book("  atomic \t HABITS ", "james   clear"));
        }

        [Fact]
        public void ComparesUnicodeInNfc()
        {
            var composed = new Book("Caf\u00e9 Stories", "Ren\u00e9e");
            var decomposed = new Book("Cafe\u0301 Stories", "Rene\u0301e");
            Assert.Equal(composed, decomposed);
            Assert.Equal(composed.Key, decomposed.Key);
            Assert.Equal("Caf\u00e9 Stories", decomposed.Title);
        }

        [Theory]
        [InlineData("  recorded TITLE 1 ", "recorded TITLE 1")]
        [InlineData("a\t\tb\r\nc\u0001d\u007f", "a b c d")]
        [InlineData(" Cafe\u0301 \u00a0 Stories\u2003", "Caf\u00e9 Stories")]
        [InlineData("Caf\u00e9\t Stories", "Caf\u00e9 Stories")]
        public void TidyTrimsCollapsesWhitespaceAndControlsAndComposes(string text, string tidy)
        {
            Assert.Equal(tidy, Book.Tidy(text));
            // The same text as a part of a longer line tidies the same.
            var line = "x|" + text + "|y";
            Assert.Equal(tidy, Book.Tidy(line, 2, text.Length));
        }

        [Theory]
        [InlineData("\uFEFF  Deep   Work |\tCal  Newport  ", "Deep Work", "Cal Newport")]
        [InlineData("  \uFEFF\uFEFF Deep Work", "Deep Work", null)]
        [InlineData("A | B | C", "A | B", "C")]
        [InlineData("Rock|Paper | Scissors", "Rock|Paper", "Scissors")]
        [InlineData("Caf\u0065\u0301\tStories  |  Ren\u00e9e", "Caf\u00e9 Stories", "Ren\u00e9e")]
        public void LinesSplitOnTheLastSeparatorAndTidyBothParts(string line, string title, string? author)
        {
            var book = BookListParser.ParseLine(line).Book!;
            Assert.Equal((title, author), (book.Title, book.Author));
        }

        [Fact]
        public void DifferentAuthorsAreDifferentBooks()
        {
            Assert.NotEqual(new Book("Meditations", "Marcus Aurelius"), new Book("Meditations", "Someone Else"));
            Assert.NotEqual(new Book("Meditations", "Marcus Aurelius"), new Book("Meditations"));
        }
    }
}
