using System;

namespace BookBatch.Engine.Coordination
{
    /// <summary>A live worker of the queue, as it last reported (Get-BookBatchWorker, the dashboard).</summary>
    public sealed class WorkerStatus
    {
        /// <summary>The worker's id: its server, process and start.</summary>
        public string Id { get; set; } = string.Empty;
        /// <summary>The machine it runs on.</summary>
        public string Server { get; set; } = string.Empty;
        /// <summary>Its process id.</summary>
        public int ProcessId { get; set; }
        /// <summary>When it started.</summary>
        public DateTimeOffset Started { get; set; }
        /// <summary>When it last reported (its heartbeat).</summary>
        public DateTimeOffset Heartbeat { get; set; }
        /// <summary>What it does now.</summary>
        public WorkerActivity Activity { get; set; }
        /// <summary>The books it has in flight (begun and not finished), as its last heartbeat said.</summary>
        public int Books { get; set; }
        /// <summary>The batch (round) it runs now, if any.</summary>
        public string? Batch { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"{Server} (process {ProcessId}): {Activity}, {Books} book(s)";
    }
}
