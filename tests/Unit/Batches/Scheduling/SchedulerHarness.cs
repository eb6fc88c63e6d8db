using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Stores;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Batches.Scheduling
{
    /// <summary>
    /// A real <see cref="BatchRunner"/> over a temporary workspace (real ledger, places and rate windows in files), with
    /// stages the test ends (<see cref="FakeStageRunner"/>) and a clock it moves (<see cref="FakeClock"/>): no process,
    /// no wall time. The test acts only while the scheduler waits, so what it sees is what the scheduler decided.
    /// </summary>
    internal sealed class SchedulerHarness : IDisposable
    {
        private static readonly TimeSpan Failsafe = TimeSpan.FromSeconds(20);
        private readonly TempWorkspace _temp = new();
        private CancellationTokenSource _stop = new();
        private CancellationTokenSource _drain = new();
        private CancellationTokenSource _close = new();
        private BatchRunner? _runner;
        private Task<IReadOnlyList<BookBatchResult>>? _run;

        /// <param name="stages">The stages' JSON objects, without the command (each gets one that never runs).</param>
        /// <param name="extra">More top-level settings, as JSON members.</param>
        /// <param name="fences">Acts as a store shared by servers does (<see cref="CountedCoordination"/>).</param>
        public SchedulerHarness(string[] stages, string? extra = null, bool fences = false)
        {
            var withCommand = stages.Select(s => "{\"command\": \"never-run\", " + s.TrimStart().Substring(1));
            var json = "{\"requireUrl\": false, " + (extra is null ? "" : extra + ", ") + "\"stages\": [" + string.Join(",", withCommand) + "]}";
            File.WriteAllText(_temp.Workspace.SettingsPath, json);
            Settings = PipelineSettings.Load(_temp.Workspace.SettingsPath, _temp.Workspace.Root);
            Coordination = new CountedCoordination(WorkspaceStore.Open(_temp.Workspace), fences);
            Runner = new FakeStageRunner(Clock);
        }

        public FakeClock Clock { get; } = new();
        public FakeStageRunner Runner { get; }
        public PipelineSettings Settings { get; }
        public CountedCoordination Coordination { get; }
        public RecordingObserver Observer { get; } = new();

        /// <summary>
        /// Starts a batch over the titles (each by "An Author") and returns once it waits (or ended); again once the
        /// last one ended, a batch of the same workspace after it.
        /// </summary>
        public void Start(BatchOptions options, params string[] titles)
        {
            _stop = new CancellationTokenSource();
            _drain = new CancellationTokenSource();
            _close = new CancellationTokenSource();
            var calls = Clock.Calls;
            var books = titles.Select(t => new Book(t, "An Author")).ToList();
            var plan = BatchPlan.Create(BatchPlan.NewId(DateTime.Now), Coordination.Ledger.Read(), books, _temp.Workspace.Root, false,
                (_, _) => { }, Coordination.Holds(Settings.Stages));
            var journal = BatchJournal.Create(_temp.Workspace, plan.Id);
            _runner = new BatchRunner(_temp.Workspace, Coordination, Settings, options, plan, _ => Runner, Observer, journal, Clock);
            _run = Task.Run(async () =>
            {
                try { return await _runner.RunAsync(_stop.Token, _drain.Token, _close.Token); }
                finally { journal.Dispose(); }
            });
            Settle(calls);
        }

        /// <summary>Does something that wakes the scheduler, and returns once it waits again (or the batch ended).</summary>
        public void Act(Action action)
        {
            var calls = Clock.Calls;
            action();
            Settle(calls);
        }

        // The scheduler waits: it asked for a delay since the action, and every attempt it started has reached the stage runner.
        private void Settle(int calls)
        {
            var settled = SpinWait.SpinUntil(() => _run!.IsCompleted
                || (Clock.Calls > calls && Clock.Waiting && Runner.Running.Count == _runner!.AttemptsAwaited), Failsafe);
            Assert.True(settled, $"the scheduler did not come to rest (clock waits: {Clock.Waiting}, running: {Runner.Running.Count}, awaited: {_runner!.AttemptsAwaited}, attempts: {string.Join(", ", Runner.Attempts.Select(a => a.Title + "/" + a.Stage + "/" + a.Result))}, run: {_run!.Status} {_run.Exception?.InnerException})");
        }

        /// <summary>Moves the clock to the scheduler's next timer.</summary>
        public void AdvanceToNextTimer()
        {
            var due = Clock.NextDue;
            Assert.True(due != DateTimeOffset.MaxValue, "the scheduler waits for nothing the clock can bring");
            Act(() => Clock.Advance(due - Clock.Now));
        }

        /// <summary>
        /// Runs the batch to its end: each time it waits, the oldest running attempt that <paramref name="end"/> ends
        /// (it returns true when it ended it), else the clock moves to the next timer.
        /// </summary>
        public IReadOnlyList<BookBatchResult> Drive(Func<FakeAttempt, bool> end)
        {
            while (!_run!.IsCompleted)
            {
                var ended = false;
                var calls = Clock.Calls;
                foreach (var attempt in Runner.Running)
                    if (end(attempt)) { ended = true; break; }
                if (ended) Settle(calls);
                else AdvanceToNextTimer();
            }
            return Results();
        }

        /// <summary>Stops the batch as Ctrl+C does.</summary>
        public void Stop() => _stop.Cancel();

        /// <summary>Drains the batch as a worker told to stop does: nothing more starts, what runs may end.</summary>
        public void Drain() => _drain.Cancel();

        /// <summary>Begins no more books, as a worker whose queue was paused does; the books begun go on.</summary>
        public void CloseAdmission() => _close.Cancel();

        public IReadOnlyList<BookBatchResult> Results()
        {
            Assert.True(_run!.Wait(Failsafe), "the batch did not end");
            return _run.Result;
        }

        /// <summary>Every attempt of a book's stage, in order.</summary>
        public List<FakeAttempt> AttemptsOf(string title, string stage) =>
            Runner.Attempts.Where(a => a.Title == title && a.Stage == stage).ToList();

        /// <summary>The full path of a run folder the batch reported.</summary>
        public string RunFolderPath(string name) => Path.Combine(_temp.Workspace.RunsPath, name);

        public LedgerEntry? Entry(string title) => Coordination.Ledger.Find(new Book(title, "An Author")).Entry;

        public void Dispose()
        {
            if (_run != null && !_run.IsCompleted)
            {
                _stop.Cancel();
                _run.Wait(Failsafe);
            }
            _temp.Dispose();
        }
    }
}
