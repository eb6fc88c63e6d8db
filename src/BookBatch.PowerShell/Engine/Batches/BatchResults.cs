using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The results of a running batch as books end: each goes to the journal and the observer at once, except a book
    /// whose every stage succeeded, which waits until the ledger write that records it done (its own, or the next
    /// book's start) before it is reported.
    /// </summary>
    internal sealed class BatchResults
    {
        private readonly BatchContext _context;
        private readonly List<BookBatchResult> _results = new();
        // Books whose every stage succeeded, until the ledger write that records them done (and their results).
        private readonly List<(BookInFlight Flight, BookBatchResult Result)> _finishing = new();

        public BatchResults(BatchContext context) => _context = context;

        /// <summary>Every result so far, in the order books ended.</summary>
        public IReadOnlyList<BookBatchResult> AsEnded
        {
            get { lock (_results) return _results.ToList(); }
        }

        /// <summary>Every result so far, in input order.</summary>
        public IReadOnlyList<BookBatchResult> InInputOrder
        {
            get { lock (_results) return _results.OrderBy(r => r.Index).ToList(); }
        }

        /// <summary>The books waiting to be recorded done.</summary>
        public IEnumerable<BookInFlight> Finishing => _finishing.Select(f => f.Flight);

        /// <summary>Reports a result.</summary>
        public void Emit(BookBatchResult result)
        {
            lock (_results) _results.Add(result);
            _context.Journal.Result(result);
            _context.Observer.BookFinished(result);
        }

        /// <summary>A book in flight ended: its lease and run folder are given up, then its result is reported.</summary>
        public void Finish(BookInFlight flight, BookBatchResult result)
        {
            flight.Timeout.Dispose();
            flight.Job.Dispose();
            Emit(result);
        }

        /// <summary>A book succeeded: it is reported once the ledger records it done.</summary>
        public void Succeeded(BookInFlight flight) => _finishing.Add((flight, flight.Job.Succeed()));

        /// <summary>Records the finishing books done (unless a book's start wrote them already), then reports them.</summary>
        public void WriteFinished()
        {
            _context.Records.WriteDone();
            foreach (var (flight, result) in _finishing) Finish(flight, result);
            _finishing.Clear();
        }
    }
}
