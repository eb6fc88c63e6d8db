using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace BookBatch.Engine.Books
{
    /// <summary>One line of a book list, parsed: a book, nothing (comment or blank), or a reason it is not a book.</summary>
    public readonly struct BookLine
    {
        internal BookLine(int lineNumber, string text, Book? book, string? error)
        {
            LineNumber = lineNumber;
            Text = text;
            Book = book;
            Error = error;
        }

        /// <summary>The 1-based line number, or 0 when the line did not come from a file.</summary>
        public int LineNumber { get; }

        /// <summary>The line as it was read.</summary>
        public string Text { get; }

        /// <summary>The book, when the line names one.</summary>
        public Book? Book { get; }

        /// <summary>Why the line is not a book, when it is not one and not a comment or blank.</summary>
        public string? Error { get; }

        /// <summary>True for a comment or blank line: nothing to do, nothing wrong.</summary>
        public bool IsEmpty => Book is null && Error is null;
    }

    /// <summary>Reads book lists: <c>Title | Author</c> or <c>Title</c>, <c>#</c> comments, blank lines, BOM, CRLF.</summary>
    public static class BookListParser
    {
        /// <summary>The most characters a title or author may have; longer text is a mistake (a pasted file), not a book.</summary>
        public const int MaxNameLength = 500;

        /// <summary>Parses one line. The split is on the last <c>|</c> with whitespace around it, so a title may contain <c>|</c>.</summary>
        public static BookLine ParseLine(string? line, int lineNumber = 0)
        {
            var text = line ?? string.Empty;
            // The line without surrounding whitespace and byte-order marks, as bounds (no copies of the line).
            int start = 0, end = text.Length;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            while (start < end && text[start] == '\uFEFF') start++;
            while (start < end && char.IsWhiteSpace(text[start])) start++;
            if (start == end || text[start] == '#')
                return new BookLine(lineNumber, text, null, null);

            var split = LastSeparator(text, start, end);
            var title = Book.Tidy(text, start, (split >= 0 ? split : end) - start);
            var author = split >= 0 ? Book.Tidy(text, split + 1, end - split - 1) : string.Empty;

            if (title.Length == 0)
                return new BookLine(lineNumber, text, null, "the line has an author but no title; write it as 'Title | Author'");
            if (title.Length > MaxNameLength || author.Length > MaxNameLength)
                return new BookLine(lineNumber, text, null, $"a title or author is longer than {MaxNameLength} characters");
            if (split >= 0 && author.Length == 0)
                return new BookLine(lineNumber, text, null, "the line ends in '|' but names no author; drop the '|' or add the author");
            return new BookLine(lineNumber, text, new Book(title, author), null);
        }

        /// <summary>A book given as a title and an author rather than a line, checked as a line is.</summary>
        public static BookLine FromParts(string? title, string? author)
        {
            var tidyTitle = Book.Tidy(title ?? string.Empty);
            var tidyAuthor = Book.Tidy(author ?? string.Empty);
            var text = tidyAuthor.Length == 0 ? tidyTitle : tidyTitle + " | " + tidyAuthor;
            if (tidyTitle.Length == 0) return Invalid(text, "it has no title");
            if (tidyTitle.Length > MaxNameLength || tidyAuthor.Length > MaxNameLength)
                return Invalid(text, $"a title or author is longer than {MaxNameLength} characters");
            return new BookLine(0, text, new Book(tidyTitle, tidyAuthor), null);
        }

        /// <summary>A line that is not a book, with the reason.</summary>
        public static BookLine Invalid(string text, string reason) => new(0, text, null, reason);

        /// <summary>Parses every line of a text (a whole file's content).</summary>
        public static IEnumerable<BookLine> ParseText(string text)
        {
            using var reader = new StringReader(text);
            var number = 0;
            string? line;
            while ((line = reader.ReadLine()) != null)
                yield return ParseLine(line, ++number);
        }

        /// <summary>Reads a book-list file as UTF-8 (with or without BOM).</summary>
        public static IReadOnlyList<BookLine> ReadFile(string path)
        {
            var lines = new List<BookLine>();
            foreach (var line in ParseText(File.ReadAllText(path, new UTF8Encoding(false))))
                lines.Add(line);
            return lines;
        }

        // The last '|' between start and end that has whitespace (or the line's end) on both sides.
        private static int LastSeparator(string line, int start, int end)
        {
            for (var i = end - 1; i >= start; i--)
            {
                if (line[i] != '|') continue;
                var spaceBefore = i == start || char.IsWhiteSpace(line[i - 1]);
                var spaceAfter = i == end - 1 || char.IsWhiteSpace(line[i + 1]);
                if (spaceBefore && spaceAfter) return i;
            }
            return -1;
        }
    }
}
