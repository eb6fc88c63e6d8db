using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Stages;

namespace BookBatch.Tests.Batches.Scheduling
{
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
