using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A run's details, beside the old system's <c>summary.json</c>: what the old system's format has no room for (the book, every
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

        /// <summary>An attempt that recorded no end and may still run on another server (<see cref="AttemptDetails.MayRunElsewhere"/>); null when there is none.</summary>
        public (StageDetails Stage, AttemptDetails Attempt)? ElsewhereAttempt()
        {
            foreach (var stage in Stages)
                foreach (var attempt in stage.Attempts)
                    if (attempt.MayRunElsewhere) return (stage, attempt);
            return null;
        }

        /// <summary>True when attempt <paramref name="number"/> of <paramref name="stage"/>, carrying <paramref name="token"/>, recorded its end or was recorded gone.</summary>
        public bool AttemptOver(string stage, int number, string token)
        {
            foreach (var s in Stages)
                if (string.Equals(s.Name, stage, StringComparison.OrdinalIgnoreCase))
                    foreach (var attempt in s.Attempts)
                        if (attempt.Attempt == number && (attempt.Token is null || attempt.Token == token)) return attempt.Ended != null || attempt.Gone;
            return false;
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
}
