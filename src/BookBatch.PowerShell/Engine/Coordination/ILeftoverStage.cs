using System;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// A stage process that a batch left running when its host was killed outright (on Linux and macOS the stage runs
    /// on), found for a book so that the operator can end it on purpose instead of waiting for it (Stop-BookStage).
    /// </summary>
    public interface ILeftoverStage
    {
        /// <summary>The book, as recorded.</summary>
        Book Book { get; }

        /// <summary>The stage whose process runs on.</summary>
        string Stage { get; }

        /// <summary>The attempt's number.</summary>
        int Attempt { get; }

        /// <summary>The dead batch that started it.</summary>
        string Batch { get; }

        /// <summary>The stage's process (the root of its tree).</summary>
        ProcessIdentity Process { get; }

        /// <summary>What ending it does, as ShouldProcess shows it.</summary>
        string Action { get; }

        /// <summary>
        /// Ends the stage's process tree and records its attempt's end as cut off, holding the book meanwhile so that no
        /// batch starts it. Throws <see cref="BookInProgressException"/> when a batch took the book since it was found,
        /// <see cref="BookStageNotEndedException"/> when the process cannot be ended or outlives the wait (nothing is
        /// recorded then), and <see cref="OperationCanceledException"/> when <paramref name="cancellation"/> stops the wait.
        /// </summary>
        /// <param name="holderName">Who holds the book meanwhile, as its holder file says (the command's name).</param>
        /// <param name="cancellation">Stops the wait (Ctrl+C).</param>
        StageEnded End(string holderName, CancellationToken cancellation);
    }
}
