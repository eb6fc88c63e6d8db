using System;
using System.Collections.Generic;
using System.Globalization;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;

namespace BookBatch.Engine.Batches
{
    /// <summary>The plan of a batch: one decision per book, from one read of the ledger.</summary>
    public sealed class BatchPlan
    {
        private BatchPlan(string id, IReadOnlyList<PlannedBook> books)
        {
            Id = id;
            Books = books;
        }

        /// <summary>The batch id: <c>yyyyMMdd-HHmmss-xxxx</c>.</summary>
        public string Id { get; }
        /// <summary>Every book, in input order.</summary>
        public IReadOnlyList<PlannedBook> Books { get; }

        /// <summary>A new batch id, sortable by time.</summary>
        public static string NewId(DateTime now) =>
            now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 4);

        /// <summary>
        /// Plans the books against the ledger. A title-only line that matches several recorded books is reported
        /// through <paramref name="ambiguous"/> and left out; a book listed twice is planned once; a book that
        /// <paramref name="holdOf"/> (given the book and its run folder) says is held — by another live batch, a stage
        /// process a dead batch left, or a cut-off publishing stage — is planned InProgress or Review and left alone.
        /// </summary>
        public static BatchPlan Create(string id, BookLedger ledger, IEnumerable<Book> books, string workspace, bool force,
            Action<Book, BookMatch> ambiguous, Func<Book, string?, BookHold?>? holdOf = null)
        {
            var planned = new List<PlannedBook>();
            var seen = new HashSet<Book>(); // the book's identity: title and author, ignoring case
            foreach (var book in books)
            {
                var status = BookPlanner.Plan(ledger, book, workspace, force, out var match);
                if (status is null)
                {
                    ambiguous(book, match);
                    continue;
                }
                var recorded = match.Entry?.Book ?? book;
                if (!seen.Add(recorded))
                {
                    var skip = new BookStatus(status.Title, status.Author, status.Status, BookAction.Skip, match.Entry, workspace);
                    planned.Add(new PlannedBook(planned.Count + 1, recorded, skip, SkipReasons.ListedTwiceText, SkipReason.ListedTwice));
                    continue;
                }
                var hold = status.Action == BookAction.Skip ? null : holdOf?.Invoke(recorded, match.Entry?.RunFolder);
                if (hold != null)
                {
                    var held = new BookStatus(status.Title, status.Author, status.Status, hold.Action, match.Entry, workspace, hold.Reason);
                    planned.Add(new PlannedBook(planned.Count + 1, recorded, held, hold.Reason,
                        hold.Action == BookAction.Review ? SkipReason.Review : SkipReason.InProgress));
                    continue;
                }
                if (status.Action == BookAction.Review)
                {
                    planned.Add(new PlannedBook(planned.Count + 1, recorded, status,
                        SkipReasons.Review(recorded.Title, status.ReviewStage!, status.LastError), SkipReason.Review));
                    continue;
                }
                var done = status.Action == BookAction.Skip;
                planned.Add(new PlannedBook(planned.Count + 1, recorded, status, done ? SkipReasons.AlreadyDoneText : null,
                    done ? SkipReason.AlreadyDone : SkipReason.None));
            }
            return new BatchPlan(id, planned);
        }
    }
}
