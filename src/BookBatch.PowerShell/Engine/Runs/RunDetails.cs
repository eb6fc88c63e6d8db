using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

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
    }
}
