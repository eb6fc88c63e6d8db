using System;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Engine.Batches
{
    /// <summary>The machine's clock: what every real batch schedules by.</summary>
    public sealed class SystemClock : IClock
    {
        /// <summary>The one instance.</summary>
        public static readonly SystemClock Instance = new();

        private SystemClock() { }

        /// <inheritdoc />
        public DateTimeOffset Now => DateTimeOffset.Now;

        /// <inheritdoc />
        public Task Delay(TimeSpan delay, CancellationToken cancellation) => Task.Delay(delay, cancellation);
    }
}
