using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A run's details, beside the seed's <c>summary.json</c>: what the seed format has no room for (the book, every
    /// attempt with its times, result, exit code and error, each stage's outputs). Kept on disk as the events of
    /// <c>bookbatch-run.jsonl</c> (<see cref="RunDetailsLog"/>).
    /// </summary>
    public sealed class RunDetails
    {
        // How earlier versions wrote the whole object to bookbatch-run.json (still read).
        internal static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        /// <summary>The book's title.</summary>
        public string Title { get; set; } = string.Empty;
        /// <summary>The book's author.</summary>
        public string? Author { get; set; }
        /// <summary>When the run folder was made.</summary>
        public DateTimeOffset Created { get; set; }
        /// <summary>Each stage's details, in pipeline order.</summary>
        public List<StageDetails> Stages { get; set; } = new();

        /// <summary>The number of the last state change recorded (0 when none).</summary>
        [JsonIgnore]
        public int LastChange { get; internal set; }

        /// <summary>
        /// Stage states recorded after <c>summary.json</c> was last written (a batch writes the summary at most once a
        /// second, or was stopped before it could), oldest first: the summary read with them applied is the run's state.
        /// </summary>
        [JsonIgnore]
        public IReadOnlyList<(string Stage, string? State)> Unsummarized { get; internal set; } = Array.Empty<(string, string?)>();

        /// <summary>Applies <see cref="Unsummarized"/> to a summary just read; true when it changed any state.</summary>
        public bool ApplyTo(RunSummary summary)
        {
            if (summary is null) throw new ArgumentNullException(nameof(summary));
            var changed = false;
            foreach (var (stage, state) in Unsummarized)
            {
                if (summary.Has(stage) && summary.StateOf(stage) == state) continue;
                summary.Set(stage, state);
                changed = true;
            }
            return changed;
        }

        /// <summary>
        /// An attempt that never recorded an end and whose process still runs: its batch's host died (a killed host
        /// does not take its stages along on Linux and macOS), and it may still be working. Null when there is none.
        /// </summary>
        public (StageDetails Stage, AttemptDetails Attempt, ProcessIdentity Process)? LiveAttempt()
        {
            foreach (var stage in Stages)
                foreach (var attempt in stage.Attempts)
                    if (attempt.Ended is null && attempt.RunningProcess() is ProcessIdentity process) return (stage, attempt, process);
            return null;
        }

        /// <summary>Attempts that never recorded an end (their batch's host died); call when none is alive.</summary>
        public IEnumerable<(StageDetails Stage, AttemptDetails Attempt)> CutOffAttempts()
        {
            foreach (var stage in Stages)
                foreach (var attempt in stage.Attempts)
                    if (attempt.Ended is null) yield return (stage, attempt);
        }

        /// <summary>The details of a stage, added when missing.</summary>
        public StageDetails Stage(string name)
        {
            foreach (var stage in Stages)
                if (string.Equals(stage.Name, name, StringComparison.OrdinalIgnoreCase)) return stage;
            var added = new StageDetails { Name = name };
            Stages.Add(added);
            return added;
        }
    }

    /// <summary>One stage of a run.</summary>
    public sealed class StageDetails
    {
        /// <summary>The stage's name.</summary>
        public string Name { get; set; } = string.Empty;
        /// <summary>Every attempt, oldest first.</summary>
        public List<AttemptDetails> Attempts { get; set; } = new();
        /// <summary>What the stage reported in its outputs file (e.g. youtube_url).</summary>
        public Dictionary<string, string?>? Outputs { get; set; }

        /// <summary>
        /// True when the stage's last attempt was cut off — it never recorded an end, or it was stopped or timed out —
        /// so that nobody knows whether it did its work, and nobody has said since (verify, or the operator). For a
        /// publishing stage without a reported URL this is the book's Review (DESIGN 4).
        /// </summary>
        public bool LastAttemptInDoubt
        {
            get
            {
                var last = Attempts.Count == 0 ? null : Attempts[Attempts.Count - 1];
                if (last is null || last.Reviewed) return false;
                return last.Ended is null || last.Result == nameof(StageResult.Canceled) || last.Result == nameof(StageResult.TimedOut);
            }
        }
    }

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

        /// <summary>
        /// The attempt's process while it still runs: the one it recorded, or, when its host died between starting it and
        /// recording it, a process that carries its token. Null when none runs.
        /// </summary>
        public ProcessIdentity? RunningProcess()
        {
            if (Process is ProcessIdentity recorded) return recorded.IsAlive() ? recorded : null;
            return string.IsNullOrEmpty(Token) ? null : ProcessIdentity.FindByToken(Token!);
        }

        /// <summary>What an attempt left running by a dead batch is, for a message.</summary>
        public string DescribeLeftover(string stage, ProcessIdentity process) =>
            $"stage '{stage}' of batch {Batch} is still running as process {process.Pid} (started {Started.ToLocalTime():yyyy-MM-dd HH:mm:ss}, its batch's host is gone); " +
            "it is left alone until it ends";

        /// <summary>The attempt's process, when it recorded one.</summary>
        [JsonIgnore]
        public ProcessIdentity? Process => Pid is int pid && ProcessStarted is DateTimeOffset started ? new ProcessIdentity(pid, started, ProcessTicks) : null;
    }
}
