using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace BookBatch.Engine.Books
{
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
            if (UnreadableAt(text, start, end) is int bad)
                return new BookLine(lineNumber, text, null, Unreadable(text, bad));

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
            foreach (var part in new[] { title ?? string.Empty, author ?? string.Empty })
                if (UnreadableAt(part, 0, part.Length) is int bad) return Invalid(text, Unreadable(part, bad));
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

        /// <summary>
        /// Reads a book-list file: UTF-8 (with or without BOM), or UTF-16 (with a BOM, or without one, as some editors
        /// save it: told by its zero bytes). A line whose bytes are not text in that encoding (a Windows-1252 'é' in a
        /// UTF-8 file) is not a book: its title was not read cleanly, so it must never be started.
        /// </summary>
        public static IReadOnlyList<BookLine> ReadFile(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var lines = new List<BookLine>();
            if (Utf16Of(bytes) is Encoding utf16)
            {
                string text;
                try { text = utf16.GetString(bytes); }
                catch (DecoderFallbackException)
                {
                    lines.Add(new BookLine(1, string.Empty, null, "the file looks like UTF-16 text but has bytes that are not; save it as UTF-8"));
                    return lines;
                }
                lines.AddRange(ParseText(text.TrimStart('\uFEFF')));
                return lines;
            }
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            var start = Storage.TextBytes.BomLength(bytes);
            for (var number = 1; start < bytes.Length; number++)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', start);
                if (end < 0) end = bytes.Length;
                var length = end - start - (end > start && bytes[end - 1] == '\r' ? 1 : 0);
                var bad = Storage.TextBytes.InvalidUtf8At(bytes, start, start + length);
                lines.Add(bad < 0
                    ? ParseLine(strict.GetString(bytes, start, length), number)
                    : new BookLine(number, new UTF8Encoding(false).GetString(bytes, start, length), null,
                        $"byte {bad - start + 1} (0x{bytes[bad]:X2}) is not UTF-8 text, so the title cannot be read cleanly; " +
                        "the file may be saved as Windows-1252 (ANSI): save it as UTF-8"));
                start = end + 1;
            }
            return lines;
        }

        // UTF-16 by its BOM, or without one when most characters have a zero high byte (an ASCII book list is half zeros).
        private static Encoding? Utf16Of(byte[] bytes)
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return new UnicodeEncoding(false, true, true);
            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return new UnicodeEncoding(true, true, true);
            if (bytes.Length < 4 || bytes.Length % 2 != 0) return null;
            int zeroEven = 0, zeroOdd = 0, pairs = Math.Min(bytes.Length, 4096) / 2;
            for (var i = 0; i < pairs * 2; i += 2)
            {
                if (bytes[i] == 0) zeroEven++;
                if (bytes[i + 1] == 0) zeroOdd++;
            }
            if (zeroOdd * 10 >= pairs * 4 && zeroEven * 20 < pairs) return new UnicodeEncoding(false, false, true);
            if (zeroEven * 10 >= pairs * 4 && zeroOdd * 20 < pairs) return new UnicodeEncoding(true, false, true);
            return null;
        }

        // The index of the first character that is not text a title may hold: a control character (tab aside, which
        // counts as a space), U+FFFD (bytes a decoder could not read), or half a surrogate pair; null when there is none.
        private static int? UnreadableAt(string text, int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                var c = text[i];
                if (c >= ' ' && c <= '~') continue;
                if ((char.IsControl(c) && c != '\t') || c == '\uFFFD') return i;
                if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                if (char.IsSurrogate(c)) return i;
            }
            return null;
        }

        private static string Unreadable(string text, int index)
        {
            var c = text[index];
            var what = c == '\0' ? "a NUL character (U+0000)"
                : c == '\uFFFD' ? "U+FFFD, the mark of bytes that could not be read as text"
                : char.IsSurrogate(c) ? $"half of a UTF-16 surrogate pair (U+{(int)c:X4})"
                : $"the control character U+{(int)c:X4}";
            return $"character {index + 1} is {what}, so the title cannot be read cleanly; a book line is plain text: " +
                   "save the list as UTF-8 and remove the character";
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
