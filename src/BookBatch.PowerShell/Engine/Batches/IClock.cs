using System;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The time a batch schedules by: its now, and a delay that ends when that time has come. The system clock in a
    /// real batch; a clock a test moves in the scheduler's tests, so that back-offs, rate windows and time-outs take no
    /// wall time.
    /// </summary>
    public interface IClock
    {
        /// <summary>The time now.</summary>
        DateTimeOffset Now { get; }

        /// <summary>Completes once <paramref name="delay"/> has passed (never for an infinite one), or is cancelled.</summary>
        Task Delay(TimeSpan delay, CancellationToken cancellation);
    }
}
