using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Coordination
{
    /// <summary>A stage's starts within its rate window, and its "not now", for the whole workspace.</summary>
    public interface IRateWindow
    {
        /// <summary>Counts a start now if allowed; otherwise false, with when to try again.</summary>
        bool TryStart(DateTimeOffset now, CancellationToken cancellation, out DateTimeOffset nextOpening);

        /// <summary>
        /// The starts counted in the window now and when a start may next be tried, read without waiting on any lock:
        /// for a reader that must never delay a batch (the dashboard, the report).
        /// </summary>
        (int Starts, DateTimeOffset NextOpening) Peek(DateTimeOffset now);

        /// <summary>When a start may next be tried.</summary>
        DateTimeOffset NextOpening(DateTimeOffset now);

        /// <summary>No start before <paramref name="until"/> (the stage said "not now").</summary>
        void Block(DateTimeOffset until, DateTimeOffset now);
    }
}
