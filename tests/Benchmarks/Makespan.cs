using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (a) The makespan of 40 books × 7 stages of real sleeping processes with render limited to 1 and upload to 2, 8
    /// books in flight, over its lower bound: the larger of the longest book and the busiest stage's work divided by
    /// its concurrency. Beside it, the same batch one book at a time (the old system's way) and whole books in parallel
    /// (the way ForEach-Object -Parallel would: 8 workers, each book's stages back to back). Beside that lower bound,
    /// the tighter flow-shop bound of the busiest stage: no book reaches it before the stages ahead of it have run
    /// once, and the last one through it still has the stages after it to run.
    /// </summary>
    internal static class Makespan
    {
        private const int Books = 40;
        private const int Throttle = 8;

        private static readonly (string Name, double Ms, int Concurrency)[] Stages =
        {
            ("search", 50, 0), ("transcribe", 200, 0), ("process", 150, 0), ("tts", 100, 0),
            ("render", 300, 1), ("upload", 100, 2), ("shorts", 50, 0),
        };

        public static async Task Run()
        {
            Console.WriteLine($"(a) makespan: {Books} books x {Stages.Length} stages of sleeping processes, render 1 at a time, upload 2, throttle {Throttle}");
            var longestBook = Stages.Sum(s => s.Ms);
            var busiest = Stages.Max(s => s.Ms * Books / (s.Concurrency == 0 ? Throttle : Math.Min(s.Concurrency, Throttle)));
            var lowerBound = TimeSpan.FromMilliseconds(Math.Max(longestBook, busiest));
            var bottleneck = Array.FindIndex(Stages, s => s.Ms * Books / (s.Concurrency == 0 ? Throttle : Math.Min(s.Concurrency, Throttle)) == busiest);
            var flowShopBound = TimeSpan.FromMilliseconds(Stages.Take(bottleneck).Sum(s => s.Ms) + busiest + Stages.Skip(bottleneck + 1).Sum(s => s.Ms));

            // The pipelined batch and its closest rival run in turns, three times, and each gives its median: one slow
            // spell of a shared machine then moves neither figure.
            var pipelinedRuns = new List<TimeSpan>();
            var lockedRuns = new List<TimeSpan>();
            for (var round = 0; round < 3; round++)
            {
                using (var ws = new BenchWorkspace(Stages.Select(s => (s.Name, "sleep", new[] { Seconds(s.Ms) }, s.Concurrency))))
                    pipelinedRuns.Add(await ws.RunBatch(Report.Books(Books), Throttle));
                lockedRuns.Add(await WholeBooks(respectLimits: true));
            }
            var pipelined = Median(pipelinedRuns);
            var wholeBooksLimited = Median(lockedRuns);
            TimeSpan sequential;
            using (var ws = new BenchWorkspace(Stages.Select(s => (s.Name, "sleep", new[] { Seconds(s.Ms) }, s.Concurrency))))
                sequential = await ws.RunBatch(Report.Books(Books), 1);
            var wholeBooksUnlimited = await WholeBooks(respectLimits: false);

            Report.Figure("BookBatch, stage pipelining / lower bound", pipelined / lowerBound, "<= 1.10",
                $"median of 3: {pipelined.TotalSeconds:0.00} s over {lowerBound.TotalSeconds:0.00} s; runs {string.Join(", ", pipelinedRuns.Select(r => r.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)))} s");
            Report.Figure("BookBatch, stage pipelining / flow-shop bound of the busiest stage", pipelined / flowShopBound, "for comparison",
                $"{pipelined.TotalSeconds:0.00} s over {flowShopBound.TotalSeconds:0.00} s: {Stages[bottleneck].Name} cannot start before {Stages.Take(bottleneck).Sum(s => s.Ms):0} ms nor end after the last {Stages.Skip(bottleneck + 1).Sum(s => s.Ms):0} ms");
            Report.Figure("one book at a time (the old system) / lower bound", sequential / lowerBound, "for comparison",
                $"{sequential.TotalSeconds:0.00} s");
            Report.Figure("whole books in parallel, limits kept by locks / lower bound", wholeBooksLimited / lowerBound, "for comparison",
                $"median of 3: {wholeBooksLimited.TotalSeconds:0.00} s");
            Report.Figure("whole books in parallel, render limit broken / lower bound", wholeBooksUnlimited / lowerBound, "for comparison",
                $"{wholeBooksUnlimited.TotalSeconds:0.00} s, up to {Throttle} renders at once");
        }

        private static TimeSpan Median(List<TimeSpan> runs) => runs.OrderBy(r => r).ElementAt(runs.Count / 2);

        private static string Seconds(double ms) => (ms / 1000).ToString("0.###", CultureInfo.InvariantCulture);

        // What a script with ForEach-Object -Parallel (or GNU parallel) does: workers take whole books; a stage limit
        // can only be kept by a lock around the stage, which holds the worker while it waits.
        private static async Task<TimeSpan> WholeBooks(bool respectLimits)
        {
            var locks = Stages.ToDictionary(s => s.Name, s => s.Concurrency > 0 && respectLimits ? new SemaphoreSlim(s.Concurrency) : null);
            var next = 0;
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Throttle).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= Books)
                    foreach (var stage in Stages)
                    {
                        var gate = locks[stage.Name];
                        if (gate != null) await gate.WaitAsync();
                        try
                        {
                            using var process = Process.Start(new ProcessStartInfo("sleep", Seconds(stage.Ms)) { UseShellExecute = false })!;
                            await process.WaitForExitAsync();
                        }
                        finally { gate?.Release(); }
                    }
            })).ToArray();
            await Task.WhenAll(workers);
            return clock.Elapsed;
        }
    }
}
