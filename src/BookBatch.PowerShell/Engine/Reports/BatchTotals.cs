using System;
using System.Collections.Generic;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Reports
{
    /// <summary>What the history keeps of a batch that is not shown in detail: its counts and its failed books.</summary>
    internal sealed class BatchTotals
    {
        public string Id { get; private set; } = string.Empty;
        public DateTimeOffset? Started { get; private set; }
        public bool Ended { get; private set; }
        public bool Stopped { get; private set; }
        public string? Host { get; private set; }
        public int? Pid { get; private set; }
        public int Planned { get; private set; }
        public int Success { get; private set; }
        public int Resumed { get; private set; }
        public int Failed { get; private set; }
        public int Skipped { get; private set; }
        public int Finished => Success + Resumed + Failed + Skipped;
        /// <summary>The failed books and their errors.</summary>
        public List<(string Book, string? Error)> Failures { get; private set; } = new();

        public static BatchTotals Of(BatchRecord batch)
        {
            var totals = new BatchTotals
            {
                Id = batch.Id, Started = batch.Started, Ended = batch.Ended, Stopped = batch.Stopped, Host = batch.Host, Pid = batch.Pid,
                Planned = batch.Books.Count,
            };
            foreach (var result in batch.Results)
            {
                switch (result.Outcome)
                {
                    case BookOutcome.Success: totals.Success++; break;
                    case BookOutcome.Resumed: totals.Resumed++; break;
                    case BookOutcome.Failed:
                        totals.Failed++;
                        totals.Failures.Add((new Books.Book(result.Title, result.Author).ToString(), result.Error ?? result.Reason));
                        break;
                    default: totals.Skipped++; break;
                }
            }
            return totals;
        }

        /// <summary>
        /// True while the batch runs: its journal has no end and its process (on this machine) is still there and
        /// started before the batch did. A batch of another machine with no end is taken to run.
        /// </summary>
        public bool Running()
        {
            if (Ended) return false;
            if (Pid is not int pid) return false;
            if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return true;
            return ProcessIdentity.RunsSince(pid, Started?.AddSeconds(5) ?? DateTimeOffset.MaxValue);
        }

        public BatchView View(bool running) => new()
        {
            Id = Id, Started = Started, Running = running, Interrupted = !running && (!Ended || Stopped), Planned = Planned, Finished = Finished,
            Success = Success, Resumed = Resumed, Failed = Failed, Skipped = Skipped,
            Percent = Planned == 0 ? 0 : Math.Round(100.0 * Finished / Planned, 1),
            SuccessPercent = Finished == 0 ? 0 : Math.Round(100.0 * (Success + Resumed) / Finished, 1),
        };
    }
}
