using BookBatch.Engine.Stores;
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (c) The per-stage cost of BookBatch (lease, run folder, details, summary, journal, ledger at the start and end
    /// of each book, the scheduler) over starting the same no-op process directly: batches of 20 books × 7 stages of
    /// /usr/bin/true, one at a time, each followed by 140 direct starts of /usr/bin/true; the figure is the median of
    /// the rounds' ratios, so that a slow spell of a shared machine falls on both sides of a ratio, or on one round
    /// only. With the dashboard, each batch runs while a dashboard of its workspace serves a page that follows it
    /// (server-sent events read all along), in the same process, as Start-BookBatchDashboard does in the batch's session.
    /// </summary>
    /// <remarks>
    /// What a batch of real stages (minutes each) meets is measured, not the benchmark's own set-up:
    /// <list type="bullet">
    /// <item>Rounds are counted once the runtime has stopped compiling: it recompiles hot code in the background, and
    /// a single warm-up round left it compiling all through the counted rounds (1,700 methods, 0.8 s of compilation on
    /// two cores), which a batch of real stages does once in hours. Warm-up rounds go on until one compiles fewer than
    /// <see cref="SettledMethods"/> methods (at most <see cref="MaxWarmUps"/>). In paired runs the figure went from
    /// 1.22-1.47 (median 1.35) after one warm-up round to 1.23-1.31 (median 1.28).</item>
    /// <item>Each round's workspace is deleted after the last round, not between rounds: the kernel's work of freeing a
    /// few hundred files (and discarding their blocks, on this build machine's disk) then never falls into a measured
    /// batch. In paired runs this moved the figure by less than the runs spread (1.30 against 1.33).</item>
    /// </list>
    /// </remarks>
    internal static class Overhead
    {
        private const int Books = 20;
        private const int StagesPerBook = 7;
        private const int Rounds = 31;
        private const int MaxWarmUps = 12;
        private const int SettledMethods = 25;

        public static async Task Run(bool withDashboard)
        {
            Console.WriteLine($"(c) per-stage overhead{(withDashboard ? ", the dashboard open" : string.Empty)}: {Rounds} rounds of {Books} books x {StagesPerBook} no-op stages, each against as many direct starts");
            var stages = Enumerable.Range(1, StagesPerBook).Select(i => ($"stage{i}", "true", Array.Empty<string>(), 0)).ToList();
            var workspaces = new List<BenchWorkspace>();
            try
            {
                var warmUps = await WarmUp(stages, withDashboard, workspaces);
                var ratios = new List<double>();
                double engineMs = 0, directMs = 0;
                for (var round = 0; round < Rounds; round++)
                {
                    var engine = await Batch(stages, withDashboard, workspaces, Books, $"Round {round}");
                    var direct = await Direct(Books * StagesPerBook);
                    ratios.Add(engine.TotalMilliseconds / direct.TotalMilliseconds);
                    engineMs += engine.TotalMilliseconds;
                    directMs += direct.TotalMilliseconds;
                }
                var sorted = ratios.OrderBy(r => r).ToList();
                var stagesRun = Rounds * Books * StagesPerBook;
                Report.Figure($"BookBatch per stage{(withDashboard ? " (dashboard open)" : string.Empty)} / starting the process directly", sorted[Rounds / 2], "<= 1.3",
                    $"median of {Rounds} rounds, {sorted[0]:0.00}-{sorted[Rounds - 1]:0.00}; {engineMs / stagesRun:0.00} ms over {directMs / stagesRun:0.00} ms; "
                    + $"after {warmUps} warm-up round(s)" + (withDashboard ? $"; the pages got {OpenDashboard.Updates} pictures" : string.Empty));
            }
            finally
            {
                foreach (var ws in workspaces) ws.Dispose();
            }
        }

        // Rounds of 50 books and as many direct starts, not counted, until the runtime compiles (almost) nothing more.
        private static async Task<int> WarmUp(List<(string, string, string[], int)> stages, bool withDashboard, List<BenchWorkspace> workspaces)
        {
            for (var round = 1; ; round++)
            {
                var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
                await Batch(stages, withDashboard, workspaces, 50, $"Warm-up {round}");
                await Direct(50 * StagesPerBook);
                if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < SettledMethods || round == MaxWarmUps) return round;
            }
        }

        // One batch in a workspace of its own, kept until the benchmark ends (see the remarks).
        private static async Task<TimeSpan> Batch(List<(string, string, string[], int)> stages, bool withDashboard, List<BenchWorkspace> workspaces, int books, string prefix)
        {
            var ws = new BenchWorkspace(stages);
            workspaces.Add(ws);
            using (Watch(ws, withDashboard))
                return await ws.RunBatch(Report.Books(books, prefix), 1);
        }

        // A dashboard of the workspace and a page that reads its events until the batch is over; nothing without one.
        private static IDisposable? Watch(BenchWorkspace ws, bool withDashboard)
        {
            if (!withDashboard) return null;
            return new OpenDashboard(Engine.Dashboard.DashboardServer.Start(ws.Workspace, WorkspaceStore.Open(ws.Workspace), "127.0.0.1", 0, null));
        }

        private sealed class OpenDashboard : IDisposable
        {
            /// <summary>The pictures the pages of every round were sent.</summary>
            public static int Updates;

            private readonly Engine.Dashboard.DashboardServer _server;
            private readonly System.Net.Http.HttpClient _client = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            private readonly System.Threading.CancellationTokenSource _stop = new();
            private readonly Task _reading;

            public OpenDashboard(Engine.Dashboard.DashboardServer server)
            {
                _server = server;
                var events = new Uri(new Uri(server.Url), "/events");
                _reading = Task.Run(async () =>
                {
                    using var stream = await _client.GetStreamAsync(events, _stop.Token);
                    var buffer = new byte[64 * 1024];
                    while (await stream.ReadAsync(buffer, _stop.Token) > 0) Messages++;
                });
                while (Messages == 0 && !_reading.IsCompleted) System.Threading.Thread.Sleep(10); // the page has its first picture
            }

            public int Messages { get; private set; }

            public void Dispose()
            {
                _stop.Cancel();
                try { _reading.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
                Updates += Messages;
                _client.Dispose();
                _server.Dispose();
            }
        }

        private static async Task<TimeSpan> Direct(int count)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
                await process.WaitForExitAsync();
            }
            return clock.Elapsed;
        }
    }
}
