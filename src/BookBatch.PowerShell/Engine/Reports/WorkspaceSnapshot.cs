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
        /// <summary>The workers of the queue alive now (Start-BookBatchWorker, on every server of the store).</summary>
        public List<Coordination.WorkerStatus> Workers { get; set; } = new();
        /// <summary>Since when the queue is paused for every worker; null while it runs.</summary>
        public DateTimeOffset? QueuePausedSince { get; set; }
    }
}
