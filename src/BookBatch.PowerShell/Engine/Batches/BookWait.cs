using System;

namespace BookBatch.Engine.Batches
{
    /// <summary>What a book waits for, and until when when that is known; told to the observer when it changes.</summary>
    public sealed class BookWait : IEquatable<BookWait>
    {
        /// <summary>A wait of <paramref name="kind"/> for <paramref name="stage"/>, ending at <paramref name="until"/> when known.</summary>
        public BookWait(BookWaitKind kind, string? stage, DateTimeOffset? until)
        {
            Kind = kind;
            Stage = stage;
            Until = until;
        }

        /// <summary>What the book waits for.</summary>
        public BookWaitKind Kind { get; }
        /// <summary>The stage it waits to run; null for the delay before its start.</summary>
        public string? Stage { get; }
        /// <summary>When the wait ends, for a quota, a retry or the delay.</summary>
        public DateTimeOffset? Until { get; }

        /// <summary>The same wait: same kind, stage and end.</summary>
        public bool Equals(BookWait? other) => other != null && other.Kind == Kind && other.Stage == Stage && other.Until == Until;
        /// <inheritdoc />
        public override bool Equals(object? obj) => Equals(obj as BookWait);
        /// <summary>The wait as the progress bar and a worker's log say it.</summary>
        public override string ToString() => Kind switch
        {
            BookWaitKind.Place => $"Waiting for a place of stage '{Stage}'",
            BookWaitKind.Quota => $"Waiting for the quota of stage '{Stage}', until {Until?.ToLocalTime():HH:mm:ss}",
            BookWaitKind.Retry => $"Retry of stage '{Stage}'",
            BookWaitKind.Room => "Waiting for room (-ThrottleLimit)",
            _ => "Waiting for the delay between books",
        };

        /// <inheritdoc />
        public override int GetHashCode() => ((int)Kind * 397) ^ (Stage?.GetHashCode() ?? 0) ^ Until.GetHashCode();
    }
}
