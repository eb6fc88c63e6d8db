using System;
using System.Globalization;
using System.IO;
using System.Text;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Workspaces
{
    /// <summary>
    /// The name of a run folder under <c>runs/</c>. A new one is <c>yyyy-MM-dd_HH-mm-ss_Title-Slug</c>, whose slug keeps
    /// ASCII letters and digits only, so no title can make a name with a separator, a dot, a reserved character or a
    /// device name, on Windows or Unix; a name read from a file (the ledger, a journal) is joined under <c>runs/</c> only
    /// when it is a plain name.
    /// </summary>
    public static class RunFolderName
    {
        /// <summary>The most characters a slug has.</summary>
        public const int MaxSlugLength = 60;

        private static readonly char[] Forbidden = { '/', '\\', ':', '*', '?', '"', '<', '>', '|' };

        /// <summary>The name for a book started at <paramref name="now"/>; <paramref name="suffix"/> above 1 makes it unique.</summary>
        public static string For(Book book, DateTime now, int suffix = 1)
        {
            var name = now.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture) + "_" + Slug(book.Title);
            return suffix > 1 ? name + "-" + suffix.ToString(CultureInfo.InvariantCulture) : name;
        }

        /// <summary>The title as a slug: <c>Atomic-Habits</c>; accents dropped, everything else becomes '-'.</summary>
        public static string Slug(string title)
        {
            var decomposed = title.Normalize(NormalizationForm.FormD);
            var slug = new StringBuilder(Math.Min(decomposed.Length, MaxSlugLength));
            var dash = false;
            foreach (var c in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                {
                    if (dash && slug.Length > 0) slug.Append('-');
                    dash = false;
                    if (slug.Length >= MaxSlugLength) break;
                    slug.Append(c);
                }
                else dash = true;
            }
            var text = slug.ToString().TrimEnd('-');
            return text.Length == 0 ? "Book" : text;
        }

        /// <summary>True for a single, plain folder name: no separator, not <c>.</c> or <c>..</c>, no character Windows refuses.</summary>
        public static bool IsPlainName(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return false;
            if (name == "." || name == "..") return false;
            if (name!.IndexOfAny(Forbidden) >= 0) return false;
            foreach (var c in name)
                if (c < 32) return false;
            if (name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal)) return false;
            return name == Path.GetFileName(name);
        }
    }
}
