using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Workers;
using BookBatch.Engine.Workspaces;
using BookBatch.Postgres.Tests;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (g) A farm: 3 workers (Start-BookBatchWorker's engine, each with its own session on the store, as on three
    /// servers) over 300 books queued in a PostgreSQL store, 7 stages of sleeping processes, render limited to 2 for the
    /// whole farm, 4 books in flight a worker. Its makespan over the farm's flow-shop bound (the larger of the books
    /// in flight allow — 300 books of 750 ms, 12 at a time — and render's work through its 2 places, with the stages
    /// before and after it), and the farm's throughput over one worker's on the same work.
    /// </summary>
    internal static class Farm
    {
        private const int Books = 300;
        private const int Workers = 3;
        private const int Throttle = 4;

        private static readonly (string Name, double Ms, int Concurrency)[] Stages =
        {
            ("search", 50, 0), ("transcribe", 200, 0), ("process", 150, 0), ("tts", 100, 0),
            ("render", 100, 2), ("upload", 100, 0), ("shorts", 50, 0),
        };

        public static async Task Run()
        {
            Console.WriteLine($"(g) a farm: {Workers} workers x {Books} books of {Stages.Length} sleeping stages on a PostgreSQL store, render 2 for the farm, throttle {Throttle} a worker");
            if (PostgresServer.FindBin() is null)
            {
                Console.WriteLine("  skipped: no PostgreSQL server found (apt-get install postgresql)");
                return;
            }
            using var server = new PostgresServer();
            var book = Stages.Sum(s => s.Ms);
            var render = Array.FindIndex(Stages, s => s.Name == "render");
            var renderBound = Stages.Take(render).Sum(s => s.Ms) + Books * Stages[render].Ms / Stages[render].Concurrency + Stages.Skip(render + 1).Sum(s => s.Ms);
            var bound = TimeSpan.FromMilliseconds(Math.Max(Books * book / (Workers * Throttle), renderBound));
            var farm = await Makespan(server, Workers);
            var one = await Makespan(server, 1);
            Report.Figure("3 workers' makespan / the farm's flow-shop bound", farm / bound, "<= 1.05",
                $"{farm.TotalSeconds:0.00} s over {bound.TotalSeconds:0.00} s");
            Report.Figure("3 workers' throughput / one worker's", one / farm, ">= 2.85",
                $"one worker {one.TotalSeconds:0.00} s, three {farm.TotalSeconds:0.00} s");
        }

        // The books queued with Add-Book's record, then the workers started together until none is owed.
        private static async Task<TimeSpan> Makespan(PostgresServer server, int workers)
        {
            var workspace = Store.NewWorkspace(server, Settings());
            try
            {
                using (var queue = WorkspaceStore.Open(workspace))
                    queue.Ledger.Change(Report.Books(Books).ToList(), edit =>
                    {
                        foreach (var book in Report.Books(Books)) edit.Add(book, DateTime.Now);
                        return (true, 0);
                    });
                var settings = PipelineSettings.Load(workspace.SettingsPath, workspace.Root);
                var stores = Enumerable.Range(0, workers).Select(_ => WorkspaceStore.Open(workspace)).ToList();
                // Each worker's stages watched by a watchdog of its own, as Start-BookBatchWorker's are on each server.
                var watches = stores.Select(store => BenchWorkspace.Watched(store.HoldLapse, () => store.HoldsFresh)).ToList();
                try
                {
                    var clock = Stopwatch.StartNew();
                    var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(() =>
                    {
                        var runner = new ProcessStageRunner(watches[i]);
                        return new BookWorker(workspace, store, settings, () => BatchOptions.From(settings, null, 0, null, Throttle),
                            new WorkerOptions { StopWhenIdle = true, Poll = TimeSpan.FromSeconds(1) }, _ => runner, new SilentWorker()).RunAsync(CancellationToken.None);
                    })));
                    clock.Stop();
                    var done = results.SelectMany(r => r).Count(r => r.Outcome is BookOutcome.Success or BookOutcome.Resumed);
                    if (done != Books) throw new InvalidOperationException($"{done} of {Books} books were done by the workers");
                    FarmGaps.Report(workspace.RunsPath, Stages, workers * Throttle, clock.Elapsed);
                    return clock.Elapsed;
                }
                finally
                {
                    foreach (var watch in watches) watch?.Dispose();
                    foreach (var store in stores) store.Dispose();
                }
            }
            finally
            {
                try { Directory.Delete(workspace.Root, recursive: true); } catch (IOException) { }
            }
        }

        private static string Settings() =>
            "\"throttleLimit\": " + Throttle + ", \"delaySeconds\": 0, \"requireUrl\": false, \"stages\": [" + string.Join(",", Stages.Select(s =>
                $"{{\"name\": \"{s.Name}\", \"command\": \"sleep\", \"arguments\": [\"{(s.Ms / 1000).ToString(CultureInfo.InvariantCulture)}\"]" +
                (s.Concurrency > 0 ? $", \"concurrency\": {s.Concurrency}}}" : "}"))) + "]";

        private sealed class SilentWorker : IWorkerObserver
        {
            private readonly SilentObserver _batch = new();
            public void RoundStarted(BatchPlan plan) { }
            public void RoundEnded(string batchId, IReadOnlyList<BookBatchResult> results) { }
            public void Waiting(WorkerActivity why) { }
            public void Draining(TimeSpan grace) { }
            public void Failed(Exception error, TimeSpan retryIn) => Console.Error.WriteLine($"  a worker failed: {error}");
            public void BookStarted(PlannedBook book, string runFolder, string? note) { }
            public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt) { }
            public void BookWaiting(PlannedBook book, BookWait wait) { }
            public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome) { }
            public void BookFinished(BookBatchResult result) { }
            public void BookError(PlannedBook book, Exception error) => _batch.BookError(book, error);
            public void Warning(string message) { }
            public void Note(string message) { }
            public void NotificationEnded(NotificationOutcome outcome) { }
        }
    }
}
