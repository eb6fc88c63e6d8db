using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Books for a batch that runs on (a worker's round): asked while the batch has room and nothing left to begin, so
    /// that a book that came free since the batch was planned (its holder died, another server left it, Add-Book) is
    /// taken within <see cref="Every"/>, not at the next round (docs/DECISIONS.md, "Workers").
    /// </summary>
    public interface IBookFeed
    {
        /// <summary>How often the batch asks.</summary>
        TimeSpan Every { get; }

        /// <summary>
        /// The books owed and free now, planned, leaving out <paramref name="taken"/> (the batch's books except those it
        /// left because another holder had them); null when there are none. Never throws: a store away gives none.
        /// </summary>
        BatchPlan? More(IReadOnlyCollection<Book> taken);
    }
}
