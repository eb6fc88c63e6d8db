using System;
using System.Globalization;
using System.Text;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// Names of new run folders: <c>yyyy-MM-dd_HH-mm-ss_Title-Slug</c>. The slug keeps ASCII letters and digits only,
    /// so no title can make a name with a separator, a dot, a reserved character or a device name, on Windows or Unix.
    /// </summary>
    public static class RunFolderNaming
    {
        /// <summary>The most characters a slug has.</summary>
        public const int MaxSlugLength = 60;

        /// <summary>The name for a book started at <paramref name="now"/>; <paramref name="suffix"/> above 1 makes it unique.</summary>
        public static string Name(Book book, DateTime now, int suffix = 1)
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
    }
}
