using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// A stage's rate window as the file store kept it (<c>batches/limits/&lt;stage&gt;.starts</c>), moved into the store
    /// with the ledger so that a quota holds across the move: the starts counted and the "not now".
    /// </summary>
    public sealed class StageRateHistory
    {
        /// <summary>Creates the history of <paramref name="stage"/>.</summary>
        public StageRateHistory(string stage, IReadOnlyList<DateTimeOffset> starts, DateTimeOffset? blockedUntil)
        {
            Stage = stage;
            Starts = starts;
            BlockedUntil = blockedUntil;
        }

        /// <summary>The stage, named as bookbatch.json names it.</summary>
        public string Stage { get; }

        /// <summary>Its starts, oldest first.</summary>
        public IReadOnlyList<DateTimeOffset> Starts { get; }

        /// <summary>Its "not now", or null.</summary>
        public DateTimeOffset? BlockedUntil { get; }
    }
}
