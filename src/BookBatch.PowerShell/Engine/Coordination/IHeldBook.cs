using System;
using System.Threading;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// A book held by a batch or a command (<see cref="IWorkspaceCoordination.TryHoldBook"/>): no one else works on it
    /// until it is disposed. Its ledger writes go through <see cref="IWorkspaceCoordination.ChangeHeld{T}"/>, which a
    /// store shared by several servers fences by the hold (docs/ARCHITECTURE.md, "The seam").
    /// </summary>
    public interface IHeldBook : IDisposable
    {
        /// <summary>The book held.</summary>
        Book Book { get; }

        /// <summary>
        /// Cancelled once the store knows the hold is gone while its holder still runs (on PostgreSQL: its session was
        /// ended, after a freeze or a network cut longer than the lease): whatever runs for the book must stop, and
        /// nothing more may be recorded for it. Never cancelled on the file store, whose holds die only with their process.
        /// </summary>
        CancellationToken Lost { get; }

        /// <summary>
        /// Asks the store whether the hold is still its holder's (on PostgreSQL a round trip: the session alive and the
        /// book's claim still carrying its token), before a write the store cannot fence itself: an attempt's end in the
        /// run folder. Always true on the file store.
        /// </summary>
        bool IsStillHeld();

        /// <summary>
        /// Until when a stage that the book's earlier holder left running on another server may still run there (on
        /// PostgreSQL: that holder's lease's end, by which its stage watchdog has ended its stages, and 2 s). Null when
        /// nothing can run elsewhere: the file store, or a book its earlier holder gave back.
        /// </summary>
        DateTimeOffset? ElsewhereUntil { get; }
    }
}
