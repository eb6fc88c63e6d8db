using System;
using System.Text;

namespace BookBatch.Engine.Books
{
    /// <summary>A book as an operator names it: a title and an optional author.</summary>
    /// <remarks>
    /// Two books are the same book when their <see cref="Key"/>s are equal: case-insensitive,
    /// trimmed, whitespace collapsed, Unicode compared in NFC form (DESIGN 1).
    /// </remarks>
    public sealed class Book : IEquatable<Book>
    {
        /// <summary>Creates a book; the title and author are trimmed and their inner whitespace collapsed.</summary>
        public Book(string title, string? author = null)
        {
            if (title is null) throw new ArgumentNullException(nameof(title));
            Title = Tidy(title);
            if (Title.Length == 0) throw new ArgumentException("A book needs a title.", nameof(title));
            var tidyAuthor = author is null ? string.Empty : Tidy(author);
            Author = tidyAuthor.Length == 0 ? null : tidyAuthor;
            TitleKey = Fold(Title);
            AuthorKey = Author is null ? string.Empty : Fold(Author);
        }

        /// <summary>The title, trimmed, whitespace collapsed, in NFC form.</summary>
        public string Title { get; }

        /// <summary>The author, or null when the line named none.</summary>
        public string? Author { get; }

        /// <summary>The identity of the title alone.</summary>
        public string TitleKey { get; }

        /// <summary>The identity of the author alone (empty when there is none).</summary>
        public string AuthorKey { get; }

        /// <summary>The identity of the book: title and author keys.</summary>
        public string Key => TitleKey + "\u001f" + AuthorKey;

        /// <summary>The book as a book-list line: <c>Title | Author</c> or <c>Title</c>.</summary>
        public override string ToString() => Author is null ? Title : Title + " | " + Author;

        /// <inheritdoc />
        public bool Equals(Book? other) => other is not null && TitleKey == other.TitleKey && AuthorKey == other.AuthorKey;

        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as Book);

        /// <inheritdoc />
        public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

        /// <summary>Trims, collapses every run of whitespace into one space and puts the text in NFC form.</summary>
        public static string Tidy(string text)
        {
            var normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
            var builder = new StringBuilder(normalized.Length);
            var pendingSpace = false;
            foreach (var c in normalized)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    pendingSpace = builder.Length > 0;
                    continue;
                }
                if (pendingSpace) builder.Append(' ');
                pendingSpace = false;
                builder.Append(c);
            }
            return builder.ToString();
        }

        /// <summary>The case-insensitive identity of an already tidied text.</summary>
        public static string Fold(string tidy)
        {
            var lower = tidy.ToLowerInvariant();
            return lower.IsNormalized(NormalizationForm.FormC) ? lower : lower.Normalize(NormalizationForm.FormC);
        }

        /// <summary>The identity key of any text, tidied then folded.</summary>
        public static string KeyOf(string? text) => text is null ? string.Empty : Fold(Tidy(text));
    }
}
