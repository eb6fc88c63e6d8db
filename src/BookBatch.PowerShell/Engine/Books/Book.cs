using System;
using System.Text;

namespace BookBatch.Engine.Books
{
    /// <summary>A book as an operator names it: a title and an optional author.</summary>
    /// <remarks>
    /// Two books are the same book when their <see cref="Key"/>s are equal: case-insensitive,
    /// trimmed, whitespace collapsed, Unicode compared in NFC form (docs/ARCHITECTURE.md, "The words").
    /// </remarks>
    public sealed class Book : IEquatable<Book>
    {
        /// <summary>Creates a book; the title and author are trimmed and their inner whitespace collapsed.</summary>
        public Book(string title, string? author = null)
        {
            Title = TidyTitle(title);
            var tidyAuthor = author is null ? string.Empty : Tidy(author);
            Author = tidyAuthor.Length == 0 ? null : tidyAuthor;
        }

        /// <summary>The title, trimmed, whitespace collapsed, in NFC form.</summary>
        public string Title { get; }

        /// <summary>The author, or null when the line named none.</summary>
        public string? Author { get; }

        private string? _key;

        /// <summary>
        /// How titles and authors compare: the tidy texts, ignoring case. <see cref="Fold"/> gives the same identity
        /// as a string (the invariant upper case that ordinal-ignore-case comparison uses).
        /// </summary>
        public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

        /// <summary>The identity of the book as one string: folded title and author (computed when first asked for).</summary>
        public string Key => _key ??= Fold(Title) + "\u001f" + (Author is null ? string.Empty : Fold(Author));

        /// <summary>True when the other book has the same title, ignoring case.</summary>
        public bool SameTitle(Book other) => Comparer.Equals(Title, other.Title);

        /// <summary>True when the other book has the same author (or both have none), ignoring case.</summary>
        public bool SameAuthor(Book other) => Comparer.Equals(Author ?? string.Empty, other.Author ?? string.Empty);

        /// <summary>The book as a book-list line: <c>Title | Author</c> or <c>Title</c>.</summary>
        public override string ToString() => Author is null ? Title : Title + " | " + Author;

        /// <inheritdoc />
        public bool Equals(Book? other) => other is not null && SameTitle(other) && SameAuthor(other);

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as Book);

        /// <inheritdoc />
        public override int GetHashCode() => Comparer.GetHashCode(Title);

        /// <summary>The title as a book has it (see <see cref="Tidy(string)"/>); throws when nothing is left of it.</summary>
        public static string TidyTitle(string title)
        {
            if (title is null) throw new ArgumentNullException(nameof(title));
            var tidy = Tidy(title);
            return tidy.Length > 0 ? tidy : throw new ArgumentException("A book needs a title.", nameof(title));
        }

        /// <summary>
        /// <see cref="Tidy(string)"/> of a part of a text (a field of a book-list line), without copying the part first
        /// when it is ASCII, the common case.
        /// </summary>
        public static string Tidy(string text, int start, int length)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            for (var i = start; i < start + length; i++)
                if (text[i] > '~') return Tidy(text.Substring(start, length));
            return Collapse(text, start, length);
        }

        /// <summary>Trims, collapses every run of whitespace into one space and puts the text in NFC form.</summary>
        public static string Tidy(string text)
        {
            if (IsTidyAscii(text)) return text; // the common case costs no copy
            // ASCII is always in NFC: only other text pays for the normalization check (ICU on Linux, slow).
            var normalized = IsAscii(text) || text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
            return Collapse(normalized, 0, normalized.Length);
        }

        // A part of a text trimmed, each run of whitespace and control characters made one space.
        private static string Collapse(string text, int start, int length)
        {
            var tidy = new char[length];
            var count = 0;
            var pendingSpace = false;
            for (var i = start; i < start + length; i++)
            {
                var c = text[i];
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    pendingSpace = count > 0;
                    continue;
                }
                if (pendingSpace) tidy[count++] = ' ';
                pendingSpace = false;
                tidy[count++] = c;
            }
            return new string(tidy, 0, count);
        }

        // Printable ASCII with single inner spaces: already tidy, and ASCII is always in NFC.
        private static bool IsTidyAscii(string text)
        {
            if (text.Length == 0 || text[0] == ' ' || text[text.Length - 1] == ' ') return false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c > '~' || (c < ' ')) return false;
                if (c == ' ' && text[i - 1] == ' ') return false;
            }
            return true;
        }

        private static bool IsAscii(string text)
        {
            foreach (var c in text)
                if (c > '\u007f') return false;
            return true;
        }

        /// <summary>The case-insensitive identity of an already tidied text.</summary>
        public static string Fold(string tidy) => tidy.ToUpperInvariant();

    }
}
