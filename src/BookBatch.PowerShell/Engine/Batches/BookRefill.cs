using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A running batch's more books from its <see cref="IBookFeed"/>: looked for at most every <see cref="IBookFeed.Every"/>,
    /// numbered on from the books planned so far. A book the batch left because another holder had it may come again.
    /// </summary>
    internal sealed class BookRefill
    {
        private readonly IBookFeed _feed;
        private readonly HashSet<Book> _planned = new();
        // The batch's books it left because another holder had them, until fed again; and how many results were looked at.
        private readonly HashSet<Book> _left = new();
        private int _seen;
        private int _count;
        private DateTimeOffset _nextLook = DateTimeOffset.MinValue;

        public BookRefill(IBookFeed feed, BatchPlan plan)
        {
            _feed = feed;
            foreach (var book in plan.Books) _planned.Add(book.Book);
            _count = plan.Books.Count;
        }

        /// <summary>When the batch should look next, while it has room and nothing to begin.</summary>
        public DateTimeOffset NextLook => _nextLook;

        /// <summary>The books fed now (none before <see cref="NextLook"/>), numbered on; <paramref name="ended"/> are the batch's results so far.</summary>
        public IReadOnlyList<PlannedBook> More(DateTimeOffset now, IReadOnlyList<BookBatchResult> ended)
        {
            if (now < _nextLook) return Array.Empty<PlannedBook>();
            _nextLook = now + _feed.Every;
            for (; _seen < ended.Count; _seen++)
                if (ended[_seen] is { Outcome: BookOutcome.Skipped, SkipReason: SkipReason.InProgress } left) _left.Add(new Book(left.Title, left.Author));
            var taken = new HashSet<Book>(_planned);
            taken.ExceptWith(_left);
            if (_feed.More(taken) is not { } plan) return Array.Empty<PlannedBook>();
            var fed = new List<PlannedBook>();
            foreach (var book in plan.Books.Where(b => b.IsWork))
            {
                _planned.Add(book.Book);
                _left.Remove(book.Book);
                fed.Add(book.At(++_count));
            }
            return fed;
        }
    }
}
