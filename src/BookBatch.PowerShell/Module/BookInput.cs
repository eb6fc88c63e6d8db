using System;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Engine.Planning;

namespace BookBatch.Module
{
    /// <summary>
    /// Turns whatever is piped into a book cmdlet into a book: a book-list line (a string, as <c>Get-Content</c>
    /// sends it, note properties and all), a <c>BookStatus</c>, or any object with a <c>Title</c> (and maybe an
    /// <c>Author</c>) property, as <c>Import-Csv</c> or <c>ConvertFrom-Json</c> of an old database.json give.
    /// </summary>
    internal static class BookInput
    {
        private static readonly string[] TitleNames = { "Title", "main_title", "MainTitle" };
        private static readonly string[] AuthorNames = { "Author", "author_name", "AuthorName" };

        /// <summary>The book of one input; <paramref name="row"/> counts the inputs of the command (1 for the first), so that an error can name the row.</summary>
        public static BookLine From(object? input, int row = 0)
        {
            var pso = input as PSObject;
            var value = pso?.BaseObject ?? input;
            switch (value)
            {
                case null:
                    return BookListParser.ParseLine(null);
                case string line:
                    return BookListParser.ParseLine(line, LineNumberOf(pso));
                case BookStatus status:
                    return BookListParser.FromParts(status.Title, status.Author);
            }
            pso ??= PSObject.AsPSObject(value);
            var title = Property(pso, TitleNames);
            if (string.IsNullOrWhiteSpace(title) && TitleNames.Any(name => pso.Properties[name] != null))
                return new BookLine(row, Fields(pso), null, "its Title is empty");
            if (string.IsNullOrWhiteSpace(title))
                return BookListParser.Invalid(value.ToString() ?? string.Empty,
                    $"an object of type '{value.GetType().Name}' has no Title property; pipe book-list lines ('Title | Author') or objects with Title and Author");
            return BookListParser.FromParts(title, Property(pso, AuthorNames));
        }

        /// <summary>The ErrorRecord for an input that is not a book.</summary>
        /// <param name="line">The line that is not a book.</param>
        /// <param name="input">The input, as the record's target.</param>
        /// <param name="file">The book-list file the line is from, when it is from one (-Path).</param>
        public static ErrorRecord ErrorFor(BookLine line, object? input, string? file = null)
        {
            file ??= FileOf(input as PSObject);
            var id = input is PSObject { BaseObject: string } or string ? ErrorIds.InvalidBookLine : ErrorIds.InvalidBookInput;
            if (id == ErrorIds.InvalidBookInput && line.LineNumber > 0)
                return Errors.Record(id, ErrorCategory.InvalidData,
                    $"Row {line.LineNumber} of the input ({line.Text}) is not a book: {line.Error}. Fill in the title of that row " +
                    $"(in a CSV file with a header line, it is line {line.LineNumber + 1}), or leave the row out; the other rows go on.", input);
            var where = file != null && line.LineNumber > 0 ? $"Line {line.LineNumber} of '{file}'" : line.LineNumber > 0 ? $"Line {line.LineNumber}" : "The input";
            // An excerpt: a pasted 1 MB line must not fill the screen, nor a NUL garble it.
            return Errors.Record(id, ErrorCategory.InvalidData,
                $"{where} '{Excerpt.Of(line.Text)}' is not a book: {line.Error}. Write books as 'Title | Author' or 'Title'.", input);
        }

        /// <summary>
        /// The warning for a line typed or built in a script (not read from a file) that was dropped as a comment: a
        /// title may start with '#' ('#GIRLBOSS'), and a book silently left out is worse than a word too many. Null
        /// for other lines, and for comment lines of a file (Get-Content gives them a PSPath), which are meant.
        /// </summary>
        public static string? CommentWarning(BookLine line, object? input)
        {
            if (!line.IsComment || (input as PSObject)?.Properties["PSPath"] != null) return null;
            return $"The line '{Excerpt.Of(line.Text)}' starts with '#', so it was read as a comment, not as a book. " +
                   "For a title that starts with '#', pipe an object instead: [pscustomobject]@{ Title = '#Title'; Author = 'Author' }.";
        }

        // The file Get-Content read a line from: its PSPath note property, without the provider's name.
        private static string? FileOf(PSObject? pso)
        {
            if (pso?.Properties["PSPath"]?.Value is not string path) return null;
            var cut = path.IndexOf("::", StringComparison.Ordinal);
            return cut >= 0 ? path.Substring(cut + 2) : path;
        }

        private static int LineNumberOf(PSObject? pso)
        {
            // Get-Content numbers its lines in the ReadCount note property.
            var readCount = pso?.Properties["ReadCount"]?.Value;
            return readCount is null ? 0 : Convert.ToInt32(readCount, System.Globalization.CultureInfo.InvariantCulture);
        }

        // The fields of an input object, as an error names them: Title = '', Author = 'Jane Doe' (a few, each in short).
        private static string Fields(PSObject pso) =>
            string.Join(", ", pso.Properties.Take(8).Select(p => $"{p.Name} = '{Excerpt.Of(Convert.ToString(ValueOf(p), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)}'"));

        private static object? ValueOf(PSPropertyInfo property)
        {
            try { return property.Value; }
            catch (GetValueException) { return null; } // an adapted property whose getter throws
        }

        private static string? Property(PSObject pso, string[] names)
        {
            foreach (var name in names)
            {
                var value = pso.Properties[name]?.Value;
                if (value is PSObject wrapped) value = wrapped.BaseObject;
                if (value is string text) return text;
                if (value != null) return value.ToString();
            }
            return null;
        }
    }
}
