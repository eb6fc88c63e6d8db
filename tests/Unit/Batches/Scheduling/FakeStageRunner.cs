using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

    /// <summary>A stage runner without processes: every attempt waits for the test to end it.</summary>
    internal sealed class FakeStageRunner : IStageRunner
    {
        private readonly object _gate = new();
        private readonly List<FakeAttempt> _attempts = new();
        private readonly Dictionary<string, int> _running = new();
        private readonly Dictionary<string, int> _most = new();

        public FakeStageRunner(FakeClock clock) => Clock = clock;

        internal FakeClock Clock { get; }

        public Task<StageOutcome> RunAsync(StageInvocation invocation, CancellationToken cancellation)
        {
            var attempt = new FakeAttempt(this, invocation, Clock.Now);
            lock (_gate)
            {
                _attempts.Add(attempt);
                _running[attempt.Stage] = _running.TryGetValue(attempt.Stage, out var n) ? n + 1 : 1;
                _most[attempt.Stage] = Math.Max(_most.TryGetValue(attempt.Stage, out var m) ? m : 0, _running[attempt.Stage]);
            }
            cancellation.Register(() => attempt.Cancel());
            return attempt.Task;
        }

        internal void Ended(FakeAttempt attempt)
        {
            lock (_gate) _running[attempt.Stage]--;
        }

        /// <summary>Every attempt so far, in the order they started.</summary>
        public IReadOnlyList<FakeAttempt> Attempts
        {
            get { lock (_gate) return _attempts.ToList(); }
        }

        /// <summary>The attempts that have not ended.</summary>
        public IReadOnlyList<FakeAttempt> Running => Attempts.Where(a => !a.Ended).ToList();

        /// <summary>The most attempts of a stage that ran at once.</summary>
        public int MostAtOnce(string stage)
        {
            lock (_gate) return _most.TryGetValue(stage, out var n) ? n : 0;
        }
    }
}
