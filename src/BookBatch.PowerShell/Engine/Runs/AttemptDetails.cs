using System;
using System.Text.Json.Serialization;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Runs
{
    /// <summary>One attempt of a stage.</summary>
    public sealed class AttemptDetails
    {
        /// <summary>1 for the first attempt of the stage in this run folder.</summary>
        public int Attempt { get; set; }
        /// <summary>The batch that made the attempt.</summary>
        public string Batch { get; set; } = string.Empty;
        /// <summary>When it started.</summary>
        public DateTimeOffset Started { get; set; }
        /// <summary>When it ended; null while it runs (or when the process died during it).</summary>
        public DateTimeOffset? Ended { get; set; }
        /// <summary>Succeeded, Failed, TimedOut or Canceled; null while it runs.</summary>
        public string? Result { get; set; }
        /// <summary>The exit code, when there was a process.</summary>
        public int? ExitCode { get; set; }
        /// <summary>Why it did not succeed.</summary>
        public string? Error { get; set; }
        /// <summary>The stage's process id, when it was a process.</summary>
        public int? Pid { get; set; }
        /// <summary>When that process started (with the id, it tells the process apart from a later one with the same id).</summary>
        public DateTimeOffset? ProcessStarted { get; set; }
        /// <summary>That process's start in clock ticks since boot (Linux): unlike the time, no change of the clock moves it.</summary>
        public long? ProcessTicks { get; set; }
        /// <summary>
        /// The attempt's token, recorded before its process started and given to it in its environment: when its host
        /// died before it could record the process's id, the process is found by it.
        /// </summary>
        public string? Token { get; set; }
        /// <summary>True when a cut-off attempt was settled since: its verify command or the operator said it did not publish.</summary>
        public bool Reviewed { get; set; }
        /// <summary>Where its process runs (<see cref="ProcessPlace"/>): another server's process cannot be looked up here.</summary>
        public string? Place { get; set; }
        /// <summary>
        /// True once its process is known to have ended without its host recording how: ended by its batch's stage watchdog
        /// when the host died or lost its hold, or by the host itself after it lost the book (docs/DECISIONS.md).
        /// </summary>
        public bool Gone { get; set; }

        /// <summary>
        /// The attempt's process while it still runs: the one it recorded, or, when its host died between starting it and
        /// recording it, a process that carries its token. Null when none runs.
        /// </summary>
        public ProcessIdentity? RunningProcess()
        {
            if (Gone || !ProcessPlace.IsHere(Place)) return null;
            if (Process is ProcessIdentity recorded) return recorded.IsAlive() ? recorded : null;
            return string.IsNullOrEmpty(Token) ? null : ProcessIdentity.FindByToken(Token!);
        }

        /// <summary>
        /// True while the attempt may still run at another place: it recorded no end, its process is not known to be gone,
        /// and it runs where this process cannot look (another server).
        /// </summary>
        [JsonIgnore]
        public bool MayRunElsewhere => Ended is null && !Gone && !ProcessPlace.IsHere(Place);

        /// <summary>What an attempt left running by a dead batch is, for a message.</summary>
        public string DescribeLeftover(string stage, ProcessIdentity process) =>
            $"stage '{stage}' of batch {Batch} is still running as process {process.Pid} (started {Started.ToLocalTime():yyyy-MM-dd HH:mm:ss}, its batch's host is gone); " +
            "it is left alone until it ends";

        /// <summary>The attempt's process, when it recorded one.</summary>
        [JsonIgnore]
        public ProcessIdentity? Process => Pid is int pid && ProcessStarted is DateTimeOffset started ? new ProcessIdentity(pid, started, ProcessTicks) : null;
    }
}
