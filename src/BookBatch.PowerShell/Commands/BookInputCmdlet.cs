using System.Management.Automation;
using BookBatch.Engine.Books;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// A cmdlet that acts on books one at a time (Add-, Complete-, Reset-, Remove-Book, Stop-BookStage, Get-BookRun):
    /// books come as <c>-Title</c>/<c>-Author</c> or from the pipeline, as book-list lines, BookStatus or BookBatchResult
    /// objects, or objects with Title and Author properties.
    /// </summary>
    public abstract class BookInputCmdlet : WorkspaceCmdlet
    {
        /// <summary>The parameter set of -Title and -Author.</summary>
        protected const string TitleParameterSet = "Title";

        /// <summary>The parameter set of pipeline input.</summary>
        protected const string InputParameterSet = "InputObject";

        private int _row; // inputs so far, so that an error can name the row

        /// <summary>The book's title.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TitleParameterSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(BookTitleCompleter))]
        public string Title { get; set; } = string.Empty;

        /// <summary>The book's author.</summary>
        [Parameter(Position = 1, ParameterSetName = TitleParameterSet)]
        public string? Author { get; set; }

        /// <summary>
        /// Books from the pipeline: book-list lines ('Title | Author', as Get-Content gives them), BookStatus or
        /// BookBatchResult objects, or objects with Title and Author properties (Import-Csv).
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        [AllowNull]
        [AllowEmptyString]
        public PSObject? InputObject { get; set; }

        /// <summary>The input of this record, as error records name it: the title given, or the object piped in.</summary>
        protected object? Target => ParameterSetName == TitleParameterSet ? Title : InputObject;

        /// <summary>
        /// The book of this record; null for a blank or comment line (nothing to do) and for an input that is not a book,
        /// which is written as a non-terminating InvalidBookLine or InvalidBookInput error.
        /// </summary>
        protected Book? CurrentBook()
        {
            var line = ParameterSetName == TitleParameterSet
                ? BookListParser.FromParts(Title, Author)
                : BookInput.From(InputObject, ++_row);
            if (BookInput.CommentWarning(line, InputObject) is string comment) WriteWarning(comment);
            if (line.IsEmpty) return null;
            if (line.Book is null) WriteError(BookInput.ErrorFor(line, InputObject));
            return line.Book;
        }
    }
}
