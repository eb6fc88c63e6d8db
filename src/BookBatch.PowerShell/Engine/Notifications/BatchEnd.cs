using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Notifications
{
    /// <summary>What a notification says about a batch that ended: its summary, where it ran, and why it stopped if it could not go on.</summary>
    public sealed class BatchEnd
    {
        /// <summary>Describes a batch's end.</summary>
        public BatchEnd(BatchSummary summary, string workspace, string journal, string? error)
        {
            Summary = summary;
            Workspace = workspace;
            Journal = journal;
            Error = error;
        }

        /// <summary>The batch's totals and results.</summary>
        public BatchSummary Summary { get; }
        /// <summary>The workspace folder.</summary>
        public string Workspace { get; }
        /// <summary>The batch's journal.</summary>
        public string Journal { get; }
        /// <summary>Why the batch could not go on (a damaged or locked database), or null.</summary>
        public string? Error { get; }
        /// <summary>The machine it ran on.</summary>
        public string Host { get; } = Environment.MachineName;

        /// <summary>The books waiting for the operator's review.</summary>
        public IReadOnlyList<BookBatchResult> ReviewBooks => Summary.Results.Where(r => r.NeedsReview).ToList();

        /// <summary>A book failed, or the batch was interrupted or could not go on.</summary>
        public bool IsFailure => Summary.Failed > 0 || Summary.Interrupted || Error != null;

        /// <summary>A book waits for review.</summary>
        public bool NeedsReview => Summary.Results.Any(r => r.NeedsReview);

        /// <summary>True when this end is one the target wants to hear of.</summary>
        public bool IsDueFor(NotificationTarget target) =>
            (target.When & NotificationWhen.Always) != 0
            || ((target.When & NotificationWhen.Failure) != 0 && IsFailure)
            || ((target.When & NotificationWhen.Review) != 0 && NeedsReview);
    }
}
