using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The coordination of one holder (a batch's process) on a PostgreSQL store shared by several servers: book claims,
    /// stage places and rate windows, as the seam (<see cref="IWorkspaceCoordination"/>) asks for them. Implemented in
    /// <c>BookBatch.Postgres.dll</c>, made by <see cref="PostgresLibrary.OpenCoordination"/>. The holder keeps one session
    /// of its own, beaten by a heartbeat; everything it holds dies with that session (docs/DECISIONS.md, "Claims, places
    /// and rate windows"). Listings and <see cref="IRateWindow.Peek"/> read on another connection and never wait on a lock.
    /// </summary>
    public interface IPostgresCoordination : IDisposable
    {
        /// <summary>How long a frozen or cut-off holder keeps what it holds.</summary>
        TimeSpan Lease { get; }

        /// <summary>False once the holder's session has failed to renew its lease for half of it (or is gone): what it holds may lapse.</summary>
        bool HoldsFresh { get; }

        /// <summary>Claims a book for <paramref name="batchId"/>; null when someone else holds it. Disposing gives it back (<see cref="IWorkspaceCoordination.TryHoldBook"/>).</summary>
        IBookClaim? TryClaim(Book book, string batchId);

        /// <summary>
        /// Takes a place of a stage with a concurrency limit; null when every place is held, across all servers, or left by
        /// a dead holder whose stage may still run at its place: <paramref name="attemptOver"/> reads whether the attempt
        /// (of the stage named) recorded its end or its <c>gone</c> line.
        /// </summary>
        IStageSlot? TryTakeSlot(StageSettings stage, Func<string, StageAttemptMark, bool> attemptOver);

        /// <summary>Calls <paramref name="freed"/> with a stage's name whenever any server gives a place of it back (<see cref="IWorkspaceCoordination.WatchPlaces"/>).</summary>
        IDisposable WatchPlaces(Action<string> freed);

        /// <summary>The places of <paramref name="stage"/> held now, read without waiting.</summary>
        int PlacesInUse(string stage);

        /// <summary>The rate window (and "not now") of a stage, counted across all servers.</summary>
        IRateWindow RateOf(StageSettings stage);

        /// <summary>The live holder of a book; null when no one holds it. Read without waiting.</summary>
        LeaseHolder? HolderOf(Book book);

        /// <summary>The queue's pause and its workers, each worker alive while this holder's session is.</summary>
        IWorkQueue Queue { get; }

        /// <summary>Every book held now, by whom. Read without waiting.</summary>
        IReadOnlyList<LeaseHolder> LiveHolders();

        /// <summary>
        /// Every book's claim as recorded, by <see cref="Book.Key"/>: its live holder, or null for a claim whose holder died
        /// without giving the book back (what it left in the run folder may still hold the book). Read without waiting.
        /// </summary>
        IReadOnlyDictionary<string, LeaseHolder?> Claims();
    }
}
