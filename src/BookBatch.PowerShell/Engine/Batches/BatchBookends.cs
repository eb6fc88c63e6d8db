using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A batch's first and last words: the journal's start and plan, its end (also for a batch that could not go on),
    /// and the notifications sent after it.
    /// </summary>
    internal sealed class BatchBookends
    {
        private readonly BatchContext _context;
        private readonly BatchPlan _plan;
        // Told of the batch's end after the journal's end (bookbatch.json's notifications); none when null.
        private readonly IBatchEndNotifier? _notifier;
        // How many books were planned: at the start and fed since.
        private int _planned;

        public BatchBookends(BatchContext context, BatchPlan plan, IBatchEndNotifier? notifier)
        {
            _context = context;
            _plan = plan;
            _notifier = notifier;
        }

        /// <summary>The journal's start: the batch, where and how it runs, and every planned book.</summary>
        public void WriteStart(int throttle)
        {
            var journal = _context.Journal;
            journal.Write("start", w =>
            {
                w.WriteString("batch", _plan.Id);
                w.WriteString("workspace", _context.Workspace.Root);
                w.WriteString("host", Environment.MachineName);
                w.WriteNumber("pid", System.Diagnostics.Process.GetCurrentProcess().Id);
                w.WriteNumber("books", _plan.Books.Count);
                w.WriteNumber("throttleLimit", throttle);
                w.WriteString("privacy", _context.Options.Privacy);
                w.WriteBoolean("force", _context.Options.Force);
            });
            foreach (var book in _plan.Books) WritePlanned(book);
        }

        /// <summary>A book planned: at the start, or fed to the running batch since (<see cref="IBookFeed"/>).</summary>
        public void WritePlanned(PlannedBook book)
        {
            _planned = Math.Max(_planned, book.Index);
            _context.Journal.Write("plan", w =>
            {
                w.WriteNumber("index", book.Index);
                w.WriteString("book", book.Book.ToString());
                w.WriteString("action", book.Action.ToString());
            });
        }

        /// <summary>The journal's end with the count of each outcome, then the notifications.</summary>
        public Task EndAsync(IReadOnlyList<BookBatchResult> results, bool interrupted)
        {
            _context.Journal.Write("end", w =>
            {
                w.WriteBoolean("interrupted", interrupted);
                w.WriteNumber("total", results.Count);
                foreach (BookOutcome outcome in Enum.GetValues(typeof(BookOutcome)))
                    w.WriteNumber(outcome.ToString().ToLowerInvariant(), results.Count(r => r.Outcome == outcome));
            });
            return NotifyAsync(results, interrupted, null);
        }

        /// <summary>The journal's end of a batch that could not go on, then the notifications.</summary>
        public Task FailedAsync(IReadOnlyList<BookBatchResult> results, Exception failure)
        {
            _context.Journal.Write("end", w =>
            {
                w.WriteBoolean("interrupted", true);
                w.WriteString("error", failure.Message);
                w.WriteNumber("total", results.Count);
            });
            return NotifyAsync(results, true, failure.Message);
        }

        // After the journal's end: the notifier the runner was handed, which never throws.
        private Task NotifyAsync(IReadOnlyList<BookBatchResult> results, bool interrupted, string? error)
        {
            if (_notifier is null) return Task.CompletedTask;
            var summary = BatchSummary.From(new BatchJournalContents(_plan.Id, _context.Journal.Path, results, true, interrupted, _planned));
            return _notifier.BatchEndedAsync(summary, error);
        }
    }
}
