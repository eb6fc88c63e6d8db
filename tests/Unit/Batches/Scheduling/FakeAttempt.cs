using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Stages;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>One attempt the scheduler started: the test decides when and how it ends.</summary>
    internal sealed class FakeAttempt
    {
        private readonly TaskCompletionSource<StageOutcome> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly FakeStageRunner _runner;

        internal FakeAttempt(FakeStageRunner runner, StageInvocation invocation, DateTimeOffset startedAt)
        {
            _runner = runner;
            Invocation = invocation;
            StartedAt = startedAt;
        }

        /// <summary>When it started, by the test's clock.</summary>
        public DateTimeOffset StartedAt { get; }

        /// <summary>When it ended, by the test's clock.</summary>
        public DateTimeOffset? EndedAt { get; private set; }

        /// <summary>How it ended.</summary>
        public StageResult? Result => _end.Task.IsCompleted ? _end.Task.Result.Result : null;

        public StageInvocation Invocation { get; }
        public string Stage => Invocation.Stage.Name;
        public string Title => Invocation.Book.Title;
        public int Number => Invocation.Attempt;
        private int _ended;
        public bool Ended => Volatile.Read(ref _ended) == 1;
        internal Task<StageOutcome> Task => _end.Task;

        public void Succeed(string? youtubeUrl = null)
        {
            if (youtubeUrl != null) File.WriteAllText(Invocation.OutputsPath, "{\"youtube_url\": \"" + youtubeUrl + "\"}");
            End(new StageOutcome(StageResult.Succeeded, 0, null));
        }

        public void Fail(int exitCode = 1) => End(new StageOutcome(StageResult.Failed, exitCode, $"exit code {exitCode}"));

        public void TimeOut() => End(new StageOutcome(StageResult.TimedOut, null, "timed out"));

        /// <summary>What a runner does when its attempt is cancelled (the book's time-out, a stop): its tree is ended.</summary>
        public void Cancel() => End(new StageOutcome(StageResult.Canceled, null, "stopped"));

        /// <summary>Says "not now", for <paramref name="seconds"/> when given (retryAfterSeconds in its outputs).</summary>
        public void Defer(double? seconds)
        {
            if (seconds != null) File.WriteAllText(Invocation.OutputsPath, "{\"retryAfterSeconds\": \"" + seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}");
            Defer();
        }

        public void Defer() => End(new StageOutcome(StageResult.Failed, Invocation.Stage.DeferExitCode, "not now"));

        private void End(StageOutcome outcome)
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1) return;
            EndedAt = _runner.Clock.Now;
            _runner.Ended(this);
            _end.TrySetResult(outcome);
        }
    }
}
