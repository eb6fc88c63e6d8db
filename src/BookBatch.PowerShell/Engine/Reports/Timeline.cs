using System;
using BookBatch.Engine.Batches;
using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Engine.Reports
{
    /// <summary>A batch's timeline: one row per book, one bar per attempt, the gaps between them the book's waits.</summary>
    public sealed class Timeline
    {
        /// <summary>The time at the left edge (the batch's start).</summary>
        public DateTimeOffset Origin { get; set; }
        /// <summary>The time at the right edge (the batch's last event, or now while it runs).</summary>
        public DateTimeOffset End { get; set; }
        /// <summary>The pipeline's stages, for the bars' colours (stages not in it come after).</summary>
        public List<string> Stages { get; set; } = new();
        /// <summary>The rows, in input order.</summary>
        public List<TimelineRow> Rows { get; set; } = new();
        /// <summary>Rows left out to keep the picture small (the oldest finished ones).</summary>
        public int RowsLeftOut { get; set; }

        /// <summary>
        /// The timeline of a batch from its journal, with the attempts running now (from the run folders); at most
        /// <paramref name="maxRows"/> rows: the books being worked on and the latest finished ones.
        /// </summary>
        public static Timeline Of(BatchRecord batch, IEnumerable<AttemptRecord> running, IEnumerable<string> stages, DateTimeOffset now, int maxRows = int.MaxValue)
        {
            var rows = batch.Books.Select(b => new TimelineRow
            {
                Index = b.Index, Book = b.Book, Began = b.Result?.Started, Finished = b.Result?.Finished,
                Outcome = b.Result?.Outcome.ToString(), Reason = b.Result?.Error ?? b.Result?.Reason,
            }).ToList();
            var byBook = new Dictionary<string, TimelineRow>(StringComparer.Ordinal);
            foreach (var row in rows) byBook[row.Book] = row;
            foreach (var attempt in batch.Attempts.Concat(running))
            {
                if (!byBook.TryGetValue(attempt.Book, out var row))
                {
                    row = new TimelineRow { Index = rows.Count + 1, Book = attempt.Book };
                    rows.Add(row);
                    byBook[row.Book] = row;
                }
                row.Bars.Add(attempt);
                if (row.Began is null || attempt.Started < row.Began) row.Began = attempt.Started;
            }
            foreach (var row in rows) row.Bars.Sort((a, b) => a.Started.CompareTo(b.Started));
            var origin = batch.Started ?? rows.Where(r => r.Began != null).Select(r => r.Began!.Value).DefaultIfEmpty(now).Min();
            var end = batch.Ended ? batch.LastEvent ?? now : now;
            foreach (var row in rows)
            {
                if (row.Finished > end) end = row.Finished.Value;
                foreach (var bar in row.Bars) if (bar.Ended > end) end = bar.Ended.Value;
            }
            var timeline = new Timeline { Origin = origin, End = end, Stages = stages.ToList(), Rows = rows };
            if (rows.Count > maxRows)
            {
                // Keep what is being worked on and the latest finished books, in input order.
                var kept = new HashSet<TimelineRow>(rows.OrderBy(r => r.Finished is null && r.Began != null ? 0 : 1)
                    .ThenByDescending(r => r.Finished ?? DateTimeOffset.MinValue).Take(maxRows));
                timeline.Rows = rows.Where(kept.Contains).ToList();
                timeline.RowsLeftOut = rows.Count - timeline.Rows.Count;
            }
            return timeline;
        }
    }
}
