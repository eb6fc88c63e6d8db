using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Stages;

namespace BookBatch.Module
{
    /// <summary>
    /// The batch's observer for the cmdlet: results, errors and notes become messages on the pump, and progress tells
    /// the truth. Progress is nested (ParentActivityId): the batch (books done and failed, and an estimate of the time
    /// left once a book has finished), and under it each book's running stage or what it waits for (a place, the
    /// quota until a time, a retry, room, the delay between books), with the time it has been at it. Events only
    /// change the state; the pipeline thread draws it (<see cref="Refresh"/>) at most every 200 ms when it changed and
    /// once a second anyway, so that a console (which draws a record only some time after the one before) never keeps
    /// showing a stage that has ended. A finished book's line is completed at once; the batch's always at the end.
    /// </summary>
    internal sealed class BatchProgress : IBatchObserver
    {
        private const int BatchActivityId = 1;
        private static readonly TimeSpan Soonest = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan Latest = TimeSpan.FromSeconds(1);

        private readonly PipelinePump _pump;
        private readonly int _workBooks;
        private readonly Engine.Workspaces.Workspace _workspace;
        private readonly object _gate = new();
        private readonly SortedDictionary<int, BookLine> _lines = new();
        private readonly HashSet<int> _reported = new();
        private DateTimeOffset _batchStarted = DateTimeOffset.MinValue;
        private int _started;
        private int _finished;
        private int _failed;
        private bool _changed;
        private bool _completed;
        private DateTimeOffset _drawn = DateTimeOffset.MinValue;

        public BatchProgress(PipelinePump pump, int workBooks, Engine.Workspaces.Workspace workspace)
        {
            _pump = pump;
            _workBooks = Math.Max(workBooks, 1);
            _workspace = workspace;
        }

        private sealed class BookLine
        {
            public BookLine(string title, string activity, DateTimeOffset since)
            {
                Title = title;
                Activity = activity;
                Since = since;
            }

            public string Title { get; }
            public string Activity { get; set; }
            public DateTimeOffset Since { get; set; }
            public DateTimeOffset? Until { get; set; }
            public int Percent { get; set; }
        }

        private void Change(PlannedBook book, string activity, DateTimeOffset? until, int? percent = null)
        {
            var now = DateTimeOffset.Now;
            lock (_gate)
            {
                if (!_lines.TryGetValue(book.Index, out var line)) _lines[book.Index] = line = new BookLine(book.Book.ToString(), activity, now);
                line.Activity = activity;
                line.Since = now;
                line.Until = until;
                if (percent is int p) line.Percent = p;
                _changed = true;
            }
        }

        public void BookStarted(PlannedBook book, string runFolder, string? note)
        {
            lock (_gate)
            {
                _started++;
                MarkStarted();
            }
            Change(book, "Starting", null, 0);
            _pump.Post(c => c.WriteVerbose($"'{book.Book}': {(book.Action == Engine.Planning.BookAction.Resume ? "resuming" : "processing")} in {runFolder}"));
        }

        public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt)
        {
            var what = string.Format(CultureInfo.InvariantCulture, "Stage {0} of {1}: {2}", stageNumber, stageCount, stage);
            Change(book, attempt > 1 ? what + string.Format(CultureInfo.InvariantCulture, " (attempt {0})", attempt) : what, null,
                (stageNumber - 1) * 100 / Math.Max(stageCount, 1));
        }

        // The batch's clock starts with its first book or its first delay; call under the lock.
        private void MarkStarted()
        {
            if (_batchStarted == DateTimeOffset.MinValue) _batchStarted = DateTimeOffset.Now;
        }

        public void BookWaiting(PlannedBook book, BookWait wait)
        {
            var activity = wait.ToString();
            if (wait.Kind == BookWaitKind.Delay) lock (_gate) MarkStarted();
            Change(book, activity, wait.Kind is BookWaitKind.Retry or BookWaitKind.Delay ? wait.Until : null);
        }

        public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome)
        {
            if (outcome.Result == StageResult.Succeeded) return;
            _pump.Post(c => c.WriteVerbose($"'{book.Book}': stage '{stage}' attempt {attempt}: {outcome.Result} ({outcome.Error})"));
        }

        public void BookFinished(BookBatchResult result)
        {
            bool hadLine, reported;
            lock (_gate)
            {
                reported = _reported.Contains(result.Index);
                hadLine = _lines.Remove(result.Index);
                if (result.StagesRun.Count > 0 || result.Outcome != BookOutcome.Skipped)
                {
                    _finished++;
                    if (result.Outcome == BookOutcome.Failed) _failed++;
                }
                _changed = true;
            }
            if (hadLine)
                _pump.Post(c => c.WriteProgress(new ProgressRecord(BookActivityId(result.Index), result.Book, "Finished")
                    { ParentActivityId = BatchActivityId, RecordType = ProgressRecordType.Completed }));
            _pump.Post(c => c.WriteObject(result));
            if (result.Outcome == BookOutcome.Failed && !reported) _pump.Post(c => c.WriteError(BookFailure.Record(result, _workspace)));
        }

        // A book whose run folder failed it has this error as its one error record, in place of BookFailed.
        public void BookError(PlannedBook book, Exception error)
        {
            lock (_gate) _reported.Add(book.Index);
            _pump.Post(c => c.WriteError(Errors.From(error, book.Book.ToString())));
        }

        public void Warning(string message) => _pump.Post(c => c.WriteWarning(message));

        public void Note(string message) => _pump.Post(c => c.WriteVerbose(message));

        // A notification that was not sent is the operator's to know of; the batch itself is not affected.
        public void NotificationEnded(NotificationOutcome outcome) => _pump.Post(c =>
        {
            if (outcome.Result == NotificationResult.Sent) c.WriteVerbose(outcome.ToString());
            else c.WriteWarning(outcome.ToString());
        });

        /// <summary>Draws the batch's and the books' lines when they changed (at most every 200 ms) or a second went by; pipeline thread only.</summary>
        public void Refresh(Cmdlet cmdlet)
        {
            var now = DateTimeOffset.Now;
            List<ProgressRecord> records;
            lock (_gate)
            {
                var since = now - _drawn;
                if (_completed || since < Soonest || (!_changed && since < Latest) || _batchStarted == DateTimeOffset.MinValue) return;
                _changed = false;
                _drawn = now;
                records = new List<ProgressRecord> { BatchRecord(now) };
                records.AddRange(_lines.Select(pair => BookRecord(pair.Key, pair.Value, now)));
            }
            foreach (var record in records) cmdlet.WriteProgress(record);
        }

        /// <summary>Ends the batch's progress bar; always sent, so no bar is left on screen, and nothing is drawn after it.</summary>
        public void Complete()
        {
            List<(int Index, string Title)> left;
            lock (_gate)
            {
                _completed = true;
                left = _lines.Select(pair => (pair.Key, pair.Value.Title)).ToList(); // a batch that failed leaves books unfinished
                _lines.Clear();
            }
            foreach (var (index, title) in left)
                _pump.Post(c => c.WriteProgress(new ProgressRecord(BookActivityId(index), title, "Stopped")
                    { ParentActivityId = BatchActivityId, RecordType = ProgressRecordType.Completed }));
            _pump.Post(c => c.WriteProgress(new ProgressRecord(BatchActivityId, "Invoke-BookBatch", "Done") { RecordType = ProgressRecordType.Completed }));
        }

        private static int BookActivityId(int index) => BatchActivityId + index;

        // "Book 3 of 10 started: 2 done, 1 failed, about 4 min left": the time left from the pace of the books finished so far.
        private ProgressRecord BatchRecord(DateTimeOffset now)
        {
            var status = string.Format(CultureInfo.InvariantCulture, "Book {0} of {1} started: {2} done, {3} failed", _started, _workBooks, _finished, _failed);
            var record = new ProgressRecord(BatchActivityId, "Invoke-BookBatch", status) { PercentComplete = Math.Min(100, _finished * 100 / _workBooks) };
            if (_finished > 0 && _finished < _workBooks)
            {
                var left = TimeSpan.FromTicks((now - _batchStarted).Ticks / _finished * (_workBooks - _finished));
                record.SecondsRemaining = (int)Math.Ceiling(left.TotalSeconds);
                record.StatusDescription += ", about " + Span(left) + " left";
            }
            return record;
        }

        private static ProgressRecord BookRecord(int index, BookLine line, DateTimeOffset now)
        {
            var status = line.Until is DateTimeOffset until
                ? string.Format(CultureInfo.InvariantCulture, "{0}: in {1}", line.Activity, Span(until > now ? until - now : TimeSpan.Zero))
                : string.Format(CultureInfo.InvariantCulture, "{0} ({1})", line.Activity, Span(now - line.Since));
            return new ProgressRecord(BookActivityId(index), line.Title, status) { ParentActivityId = BatchActivityId, PercentComplete = line.Percent };
        }

        // 0:07, 12:30, 1:02:03
        private static string Span(TimeSpan span) =>
            span.TotalHours >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}:{2:00}", (int)span.TotalHours, span.Minutes, span.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0}:{1:00}", span.Minutes, span.Seconds);
    }
}
