using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Runs
{
    /// <summary>One stage of a book's run: its state, attempts, last attempt's timing and error, and its log.</summary>
    public sealed class StageRun
    {
        internal StageRun(string name, StageState state, int attempts, DateTimeOffset? lastAttemptStarted, TimeSpan? duration,
            int? exitCode, string? lastError, string? logPath, IReadOnlyDictionary<string, string?>? outputs)
        {
            Name = name;
            State = state;
            Attempts = attempts;
            LastAttemptStarted = lastAttemptStarted;
            Duration = duration;
            ExitCode = exitCode;
            LastError = lastError;
            LogPath = logPath;
            Outputs = outputs;
        }

        /// <summary>The stage's name.</summary>
        public string Name { get; }
        /// <summary>NotRun, Running, Interrupted (stopped or killed during it), Succeeded or Failed.</summary>
        public StageState State { get; }
        /// <summary>How many times BookBatch started the stage in this run folder (0 for a folder the old system made).</summary>
        public int Attempts { get; }
        /// <summary>When the last attempt started.</summary>
        public DateTimeOffset? LastAttemptStarted { get; }
        /// <summary>How long the last attempt took; null when it has not ended.</summary>
        public TimeSpan? Duration { get; }
        /// <summary>The last attempt's exit code, when it ended with a process exit.</summary>
        public int? ExitCode { get; }
        /// <summary>Why the last attempt did not succeed.</summary>
        public string? LastError { get; }
        /// <summary>The stage's log file (<c>logs/&lt;stage&gt;.log</c>); null when there is none.</summary>
        public string? LogPath { get; }
        /// <summary>What the stage reported (e.g. youtube_url), when it succeeded and reported something.</summary>
        public IReadOnlyDictionary<string, string?>? Outputs { get; }

        /// <inheritdoc />
        public override string ToString() => Name + ": " + State;
    }
}
