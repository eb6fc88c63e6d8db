using System;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// A book held by one holder of a PostgreSQL store (the seam's book hold, docs/DECISIONS.md "Claims, places and rate
    /// windows"): alive while its holder's session holds the book's advisory lock, which dies with the session — a closed
    /// connection at once, a frozen or cut-off holder after the lease. Disposing gives the book back.
    /// </summary>
    public interface IBookClaim : IDisposable
    {
        /// <summary>The book held.</summary>
        Book Book { get; }

        /// <summary>The claim's fencing token: every claim of any book gets a greater one, so a write under a claim taken over is refused.</summary>
        long Token { get; }

        /// <summary>Who holds it: batch, server, process, since when.</summary>
        LeaseHolder Holder { get; }

        /// <summary>
        /// Whether the claim is still this holder's: its session alive and the book's claim still carrying <see cref="Token"/>.
        /// False once the lease ran out (a frozen holder, a cut network) or the book was taken over; asked of the database.
        /// </summary>
        bool IsStillMine();

        /// <summary>Cancelled once the holder's session is found gone while the holder runs: the claim is lost then.</summary>
        CancellationToken Lost { get; }

        /// <summary>
        /// Until when a stage an earlier holder of the book left running at its own place (another server) may still run
        /// there, its watchdog not having ended it yet; null when no earlier holder's lease has run out lately.
        /// </summary>
        DateTimeOffset? ElsewhereUntil { get; }
    }
}
