using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Batches
{
    /// <summary>What a batch did with one book.</summary>
    public sealed class BookBatchResult
    {
        internal BookBatchResult(string batchId, int index, string title, string? author, BookOutcome outcome, string? reason, string? error,
            string? youTubeUrl, string? shortUrl, string? runFolder, IReadOnlyList<string> stagesRun, DateTimeOffset started, DateTimeOffset finished,
            SkipReason skipReason = SkipReason.None)
        {
            SkipReason = outcome == BookOutcome.Skipped && skipReason == SkipReason.None ? SkipReason.Other : skipReason;
            BatchId = batchId;
            Index = index;
            Title = title;
            Author = author;
            Outcome = outcome;
            Reason = reason;
            Error = error;
            YouTubeUrl = youTubeUrl;
            ShortUrl = shortUrl;
            RunFolder = runFolder;
            StagesRun = new StageNames(stagesRun);
            Started = started;
            Finished = finished;
        }

        /// <summary>The batch's id (its journal is <c>batches/&lt;id&gt;.jsonl</c>).</summary>
        public string BatchId { get; }
        /// <summary>The book's 1-based place in the batch's input.</summary>
        public int Index { get; }
        /// <summary>The title.</summary>
        public string Title { get; }
        /// <summary>The author.</summary>
        public string? Author { get; }
        /// <summary>Success, Resumed, Failed or Skipped.</summary>
        public BookOutcome Outcome { get; }
        /// <summary>Why a book was skipped ("Already completed", "interrupted", ...), or a note on a success.</summary>
        public string? Reason { get; }
        /// <summary>Why a book was skipped, as a category (AlreadyDone, Declined, Interrupted, Review, Quota, ...); None when it was worked on.</summary>
        public SkipReason SkipReason { get; }
        /// <summary>Why a book failed.</summary>
        public string? Error { get; }
        /// <summary>The published video.</summary>
        public string? YouTubeUrl { get; }
        /// <summary>The published short.</summary>
        public string? ShortUrl { get; }
        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string? RunFolder { get; }
        /// <summary>The stages this batch ran for the book (that succeeded, failed or were stopped), in order.</summary>
        public StageNames StagesRun { get; }
        /// <summary>When the batch started on the book.</summary>
        public DateTimeOffset Started { get; }
        /// <summary>When it was done with it.</summary>
        public DateTimeOffset Finished { get; }
        /// <summary>How long the book took, in seconds (to the millisecond): a number that Export-Csv and ConvertTo-Json keep readable.</summary>
        public double DurationSeconds => Math.Round((Finished - Started).TotalSeconds, 3);

        /// <summary>The book as a book-list line.</summary>
        public string Book => Author is null ? Title : Title + " | " + Author;

        /// <summary>How the reason of a book waiting for the operator's review begins (its outcome is Skipped).</summary>
        public const string ReviewReasonPrefix = SkipReasons.ReviewPrefix;

        /// <summary>True for a book that waits for the operator to say whether its publishing stage published (Review).</summary>
        public bool NeedsReview => SkipReason == SkipReason.Review;

        /// <summary>
        /// True for a book another batch or worker held when this one came to it (or a stage a dead batch left still
        /// ran): nothing of it ran here. A worker's results leave such books out: they are another worker's.
        /// </summary>
        internal bool HeldElsewhere => SkipReason == SkipReason.InProgress && StagesRun.Count == 0;

        /// <summary>What the table's Details column shows.</summary>
        public string? Details => Outcome switch
        {
            BookOutcome.Failed => Error,
            BookOutcome.Skipped => Reason,
            _ => YouTubeUrl ?? Reason,
        };

        /// <summary>The book and how it came out ("Deep Work | Cal Newport: Failed"), as lists of results show it.</summary>
        public override string ToString() => Book + ": " + Outcome;
    }
}
