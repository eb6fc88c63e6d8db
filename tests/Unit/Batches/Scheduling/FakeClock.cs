using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>A clock that only a test moves: its delays end when <see cref="Advance"/> passes their time.</summary>
    internal sealed class FakeClock : IClock
    {
        private readonly object _gate = new();
        private readonly List<(DateTimeOffset Due, TaskCompletionSource<bool> Done)> _delays = new();
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.Now.ToUnixTimeSeconds()).ToLocalTime();
        private int _calls;

        public DateTimeOffset Now
        {
            get { lock (_gate) return _now; }
        }

        /// <summary>How many delays were asked for so far: a scheduler that asked for one after an event has taken it in.</summary>
        public int Calls
        {
            get { lock (_gate) return _calls; }
        }

        /// <summary>The earliest time a pending delay waits for (MaxValue when none waits for a time).</summary>
        public DateTimeOffset NextDue
        {
            get { lock (_gate) return _delays.Where(d => !d.Done.Task.IsCompleted).Select(d => d.Due).DefaultIfEmpty(DateTimeOffset.MaxValue).Min(); }
        }

        /// <summary>True while some delay is pending (the scheduler waits).</summary>
        public bool Waiting
        {
            get { lock (_gate) return _delays.Any(d => !d.Done.Task.IsCompleted); }
        }

        public Task Delay(TimeSpan delay, CancellationToken cancellation)
        {
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _calls++;
                if (delay == Timeout.InfiniteTimeSpan) _delays.Add((DateTimeOffset.MaxValue, done));
                else if (delay <= TimeSpan.Zero) return Task.CompletedTask;
                else _delays.Add((_now + delay, done));
            }
            cancellation.Register(() => done.TrySetCanceled());
            return done.Task;
        }

        /// <summary>Moves the time on, ending every delay whose time has come.</summary>
        public void Advance(TimeSpan by)
        {
            List<TaskCompletionSource<bool>> due;
            lock (_gate)
            {
                _now += by;
                due = _delays.Where(d => d.Due <= _now).Select(d => d.Done).ToList();
                _delays.RemoveAll(d => d.Due <= _now);
                _delays.RemoveAll(d => d.Done.Task.IsCompleted);
            }
            foreach (var done in due) done.TrySetResult(true);
        }
    }
}
