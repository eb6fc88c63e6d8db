using System.Collections.Generic;
using System.Management.Automation;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Every book in the database, or the status and planned action of each book piped in, recorded or not
    /// (what the old system called check_book_status).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BookStatus", DefaultParameterSetName = AllParameterSet)]
    [OutputType(typeof(BookStatus))]
    public sealed class GetBookStatusCommand : WorkspaceCmdlet
    {
        private const string AllParameterSet = "All";
        private const string InputParameterSet = "InputObject";

        private BookLedger? _ledger;
        private int _row; // inputs so far, so that an error can name the row
        private WildcardPattern[]? _titles;
        private WildcardPattern[]? _authors;

        /// <summary>
        /// Books to look up: book-list lines ('Title | Author', as Get-Content gives them), or objects with Title and
        /// Author properties. Each gets its status and the action a batch would take, whether recorded or not.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        [AllowNull]
        [AllowEmptyString]
        public PSObject? InputObject { get; set; }

        /// <summary>Only books whose title matches one of these (wildcards allowed, case-insensitive).</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(BookTitleCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Title { get; set; }

        /// <summary>Only books whose author matches one of these (wildcards allowed, case-insensitive).</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Author { get; set; }

        /// <summary>Only books with one of these statuses: New, Unknown, Processing, Done.</summary>
        /// <remarks>
        /// Strings checked against the set rather than the enum itself: a wrong value is then answered with the valid
        /// ones, not with the engine's type name.
        /// </remarks>
        [Parameter]
        [ValidateSet(nameof(BookState.New), nameof(BookState.Unknown), nameof(BookState.Processing), nameof(BookState.Done), IgnoreCase = true)]
        public string[]? Status { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            WarnIfNotAWorkspace();
            _titles = Patterns(Title);
            _authors = Patterns(Author);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            // One ledger read serves the whole call, however many books are piped in.
            _ledger ??= ReadLedger();
            if (ParameterSetName == AllParameterSet)
            {
                foreach (var entry in _ledger.Books) Emit(BookPlanner.StatusOf(entry, CurrentWorkspace.Root, Holds));
                return;
            }
            var line = BookInput.From(InputObject, ++_row);
            if (BookInput.CommentWarning(line, InputObject) is string comment) WriteWarning(comment);
            if (line.IsEmpty) return;
            if (line.Book is null)
            {
                WriteError(BookInput.ErrorFor(line, InputObject));
                return;
            }
            var status = BookPlanner.Plan(_ledger, line.Book, CurrentWorkspace.Root, force: false, out var match);
            if (status is null)
            {
                WriteError(Errors.From(new BookAmbiguousException(line.Book, match.Ambiguous), InputObject));
                return;
            }
            Emit(match.Entry is null ? status : BookPlanner.StatusOf(match.Entry, CurrentWorkspace.Root, Holds));
        }

        private void Emit(BookStatus status)
        {
            if (Status != null && !System.Array.Exists(Status, s => string.Equals(s, status.Status.ToString(), System.StringComparison.OrdinalIgnoreCase))) return;
            if (!Matches(_titles, status.Title) || !Matches(_authors, status.Author ?? string.Empty)) return;
            WriteObject(status);
        }

        private static WildcardPattern[]? Patterns(string[]? texts)
        {
            if (texts is null) return null;
            var patterns = new List<WildcardPattern>();
            foreach (var text in texts) patterns.Add(WildcardPattern.Get(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant));
            return patterns.ToArray();
        }

        private static bool Matches(WildcardPattern[]? patterns, string value)
        {
            if (patterns is null) return true;
            foreach (var pattern in patterns)
                if (pattern.IsMatch(value)) return true;
            return false;
        }
    }
}
