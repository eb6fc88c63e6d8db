using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The books of a batch not begun yet, in input order, with when the next may start: the delay between two books,
    /// and, while the next book's lease is briefly busy, when it is tried again. Nothing here waits: the scheduler's
    /// loop asks when to wake.
    /// </summary>
    internal sealed class BookQueue
    {
        // Someone merely looking (a plan, Get-BookStatus) holds a book's lock for an instant: its lease is tried again
        // at later turns, this often and for this long, before the book counts as held elsewhere.
        private static readonly TimeSpan LeaseRetry = TimeSpan.FromMilliseconds(20);
        private static readonly TimeSpan LeaseWait = TimeSpan.FromMilliseconds(300);
        private readonly Queue<PlannedBook> _books;
        private readonly BatchContext _context;
        private DateTimeOffset _nextStart = DateTimeOffset.MinValue;
        // The book last told to wait for the delay between books (told once).
        private int _delayTold;
        // The next book while its lease is briefly busy: since when, and when it is tried again.
        private (BookJob Job, DateTimeOffset Since)? _leasing;
        private DateTimeOffset _leaseRetry = DateTimeOffset.MinValue;

        public BookQueue(BatchContext context, IEnumerable<PlannedBook> books)
        {
            _context = context;
            _books = new Queue<PlannedBook>(books);
        }

        public int Count => _books.Count;

        public PlannedBook Peek() => _books.Peek();

        public PlannedBook Dequeue() => _books.Dequeue();

        /// <summary>Adds a book fed to the running batch at the end.</summary>
        public void Enqueue(PlannedBook book) => _books.Enqueue(book);

        /// <summary>A book started now: the next waits the delay between books.</summary>
        public void Started(DateTimeOffset now) => _nextStart = now + _context.Options.Delay;

        /// <summary>True while the delay between books holds <paramref name="head"/> back (told to the observer once).</summary>
        public bool Delayed(PlannedBook head, DateTimeOffset now)
        {
            if (now >= _nextStart) return false;
            if (_delayTold != head.Index) _context.Observer.BookWaiting(head, new BookWait(BookWaitKind.Delay, null, _nextStart));
            _delayTold = head.Index;
            return true;
        }

        /// <summary>
        /// Takes <paramref name="head"/>'s lease for <paramref name="job"/> (the job already trying, when there is one);
        /// false while the lease is briefly busy, to be tried again at a later turn (never longer than LeaseWait, and not
        /// at all when a batch or a command holds it: then the job's Begin reports the book held elsewhere at once, so
        /// that workers sharing a queue do not wait on each other's books).
        /// </summary>
        public bool TakeLease(PlannedBook head, ref BookJob job, DateTimeOffset now)
        {
            if (_leasing?.Job.Planned == head) job = _leasing.Value.Job;
            else _leasing = (job, now);
            if (!job.TryLease() && now - _leasing.Value.Since <= LeaseWait)
            {
                var holder = _context.Coordination.HolderOf(head.Book);
                if (string.IsNullOrEmpty(holder?.Batch))
                {
                    _leaseRetry = now + LeaseRetry;
                    return false;
                }
                job.HeldBy = holder; // its Begin says so without asking the store again
            }
            _leasing = null;
            return true;
        }

        /// <summary>
        /// When the loop should wake to start the next book: the delay's end (or the lease's next try) when there is room
        /// for it; the lease's next try also without room, for a book begun during the last stage of the one before it.
        /// </summary>
        public DateTimeOffset NextStart(DateTimeOffset now, bool room)
        {
            var start = !room ? DateTimeOffset.MaxValue : _leasing != null && _leaseRetry > _nextStart ? _leaseRetry : _nextStart;
            if (_leasing != null && _leaseRetry > now && _leaseRetry < start) start = _leaseRetry;
            return start;
        }

        /// <summary>Gives up the job still trying for a lease (the batch cannot go on).</summary>
        public void Abandon() => _leasing?.Job.Dispose();
    }
}
