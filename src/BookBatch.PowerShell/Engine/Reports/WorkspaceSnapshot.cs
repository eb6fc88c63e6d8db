using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Reports
{
    /// <summary>What a workspace shows at one moment, read from its files: what the dashboard sends to the page.</summary>
    public sealed class WorkspaceSnapshot
    {
        /// <summary>When it was read.</summary>
        public DateTimeOffset Taken { get; set; }
        /// <summary>The workspace folder.</summary>
        public string Workspace { get; set; } = string.Empty;
        /// <summary>Why part of the workspace could not be read (bookbatch.json, database.json), or null.</summary>
        public string? Problem { get; set; }
        /// <summary>Each stage's places and rate window, in pipeline order.</summary>
        public List<StageView> Stages { get; set; } = new();
        /// <summary>The books a live batch holds, and the books in Review.</summary>
        public List<BookView> Books { get; set; } = new();
        /// <summary>The latest batches, newest first (the running ones among them).</summary>
        public List<BatchView> Batches { get; set; } = new();
        /// <summary>Batches and books by day, newest first.</summary>
        public List<DayView> History { get; set; } = new();
        /// <summary>What the publishing stage's rate allows a day (null without a rate).</summary>
        public double? QuotaPerDay { get; set; }
        /// <summary>Books that failed in more than one batch, most failures first.</summary>
        public List<RepeatFailure> FailingBooks { get; set; } = new();
    }

    /// <summary>A stage's places in use against its <c>concurrency</c>, and its rate window.</summary>
    public sealed class StageView
    {
        /// <summary>The stage.</summary>
        public string Name { get; set; } = string.Empty;
        /// <summary>Its <c>concurrency</c> (0: no limit).</summary>
        public int Concurrency { get; set; }
        /// <summary>Attempts of the stage running now.</summary>
        public int InUse { get; set; }
        /// <summary>True for the stage that publishes.</summary>
        public bool Publishing { get; set; }
        /// <summary>The rate, as bookbatch.json says it (e.g. "6 per 86400 s"); null without one.</summary>
        public string? Rate { get; set; }
        /// <summary>Starts counted in the current window.</summary>
        public int StartsInWindow { get; set; }
        /// <summary>When the stage may start again, when that is later than now (the window is full, or a "not now").</summary>
        public DateTimeOffset? ClosedUntil { get; set; }
    }

    /// <summary>What a book in flight is doing, or waiting for.</summary>
    public sealed class BookView
    {
        /// <summary>The batch that holds it (null for a book in Review).</summary>
        public string? Batch { get; set; }
        /// <summary>The book's title.</summary>
        public string Title { get; set; } = string.Empty;
        /// <summary>The book's author.</summary>
        public string? Author { get; set; }
        /// <summary>running, slot, quota, retry, review or queued.</summary>
        public string State { get; set; } = string.Empty;
        /// <summary>The stage it runs or waits to run.</summary>
        public string? Stage { get; set; }
        /// <summary>The state in words ("tts, attempt 2", "a place of render (1 of 1 in use)", "quota until 14:05").</summary>
        public string Text { get; set; } = string.Empty;
        /// <summary>Seconds since the batch began the book.</summary>
        public double Elapsed { get; set; }
        /// <summary>Seconds the remaining stages are expected to take, from the stages' recent durations; null when unknown.</summary>
        public double? Eta { get; set; }
    }

    /// <summary>A batch: counts, percentages, failures, timeline.</summary>
    public sealed class BatchView
    {
        /// <summary>The batch id.</summary>
        public string Id { get; set; } = string.Empty;
        /// <summary>When it started.</summary>
        public DateTimeOffset? Started { get; set; }
        /// <summary>True while its process runs and its journal has no end.</summary>
        public bool Running { get; set; }
        /// <summary>True when it ended before every book was worked on (stopped, or its process died).</summary>
        public bool Interrupted { get; set; }
        /// <summary>Books in the plan.</summary>
        public int Planned { get; set; }
        /// <summary>Books with a result.</summary>
        public int Finished { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Success { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Resumed { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Failed { get; set; }
        /// <summary>Results by outcome.</summary>
        public int Skipped { get; set; }
        /// <summary>Finished books, in percent of the plan.</summary>
        public double Percent { get; set; }
        /// <summary>Published books (Success and Resumed), in percent of the finished ones.</summary>
        public double SuccessPercent { get; set; }
        /// <summary>The failed books, with their reasons.</summary>
        public List<FailureView> Failures { get; set; } = new();
        /// <summary>The timeline as HTML (SVG); only for the batches shown in detail.</summary>
        public string? TimelineHtml { get; set; }
    }

    /// <summary>A failed book of a batch: why, and the tail of its failed stage's log.</summary>
    public sealed class FailureView
    {
        /// <summary>The book.</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>The stage that failed.</summary>
        public string? Stage { get; set; }
        /// <summary>Why.</summary>
        public string? Error { get; set; }
        /// <summary>The last lines of the stage's log.</summary>
        public string? LogTail { get; set; }
    }

    /// <summary>One day of the history.</summary>
    public sealed class DayView
    {
        /// <summary>The day (local time), yyyy-MM-dd.</summary>
        public string Day { get; set; } = string.Empty;
        /// <summary>Batches started that day.</summary>
        public int Batches { get; set; }
        /// <summary>Books those batches finished.</summary>
        public int Books { get; set; }
        /// <summary>Books published (Success, Resumed).</summary>
        public int Published { get; set; }
        /// <summary>Books failed.</summary>
        public int Failed { get; set; }
        /// <summary>The ids of the day's batches (the newest 20).</summary>
        public List<string> Ids { get; set; } = new();
    }

    /// <summary>A book that failed in several batches.</summary>
    public sealed class RepeatFailure
    {
        /// <summary>The book.</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>How many batches it failed in.</summary>
        public int Failures { get; set; }
        /// <summary>Its latest error.</summary>
        public string? LastError { get; set; }
    }
}
