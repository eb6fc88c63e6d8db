using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Batches
{
    /// <summary>What a batch journal holds, as <see cref="BatchJournal.ReadContents"/> reads it.</summary>
    public sealed class BatchJournalContents
    {
        internal BatchJournalContents(string id, string path, IReadOnlyList<BookBatchResult> results, bool ended, bool interrupted, int planned,
            IReadOnlyList<NotificationOutcome>? notifications = null)
        {
            Notifications = notifications ?? Array.Empty<NotificationOutcome>();
            Id = id;
            Path = path;
            Results = results;
            Ended = ended;
            Stopped = interrupted;
            Planned = planned;
        }

        /// <summary>The batch id.</summary>
        public string Id { get; }
        /// <summary>The journal file.</summary>
        public string Path { get; }
        /// <summary>Every book's result, in the order the batch finished them.</summary>
        public IReadOnlyList<BookBatchResult> Results { get; }
        /// <summary>True when the journal has its end event: the batch ran to its end, or was stopped with Ctrl+C.</summary>
        public bool Ended { get; }
        /// <summary>True when the end event says the batch was stopped (Ctrl+C) before every book was worked on.</summary>
        public bool Stopped { get; }
        /// <summary>How many books the plan had (every one gets a result unless the batch was killed).</summary>
        public int Planned { get; }
        /// <summary>The notifications of the batch's end, as its journal recorded them.</summary>
        public IReadOnlyList<NotificationOutcome> Notifications { get; }
        /// <summary>
        /// True when the batch did not run to its end: stopped with Ctrl+C, or no end event at all, because the process
        /// was killed (or, for a journal read while its batch runs, because it has not ended yet).
        /// </summary>
        public bool Interrupted => !Ended || Stopped;
    }
}
