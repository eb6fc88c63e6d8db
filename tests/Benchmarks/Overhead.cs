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
    /// the nine rounds' ratios (after a round of each that is not counted), so that a slow spell of a shared machine
    /// falls on both sides of a ratio, or on one round only. With the dashboard, each batch runs while a dashboard of its
    /// workspace serves a page that follows it (server-sent events read all along), in the same process, as
    /// Start-BookBatchDashboard does in the batch's session.
    /// </summary>
    internal static class Overhead
    {
        private const int Books = 20;
        private const int StagesPerBook = 7;
        private const int Rounds = 9;

        public static async Task Run(bool withDashboard)
        {
            Console.WriteLine($"(c) per-stage overhead{(withDashboard ? ", the dashboard open" : string.Empty)}: {Rounds} rounds of {Books} books x {StagesPerBook} no-op stages, each against as many direct starts");
            var stages = Enumerable.Range(1, StagesPerBook).Select(i => ($"stage{i}", "true", Array.Empty<string>(), 0)).ToList();
            // A round of each first, not counted, of 50 books: both sides are measured once the runtime has compiled
            // their code to its final tier (it recompiles hot code in the background for a second or so, which a batch
            // of real stages does once in hours).
            using (var ws = new BenchWorkspace(stages))
            using (Watch(ws, withDashboard))
                await ws.RunBatch(Report.Books(50, "Warm-up"), 1);
            await Direct(50 * StagesPerBook);
            var ratios = new List<double>();
            double engineMs = 0, directMs = 0;
            for (var round = 0; round < Rounds; round++)
            {
                TimeSpan engine;
                using (var ws = new BenchWorkspace(stages))
                using (Watch(ws, withDashboard))
                    engine = await ws.RunBatch(Report.Books(Books, $"Round {round}"), 1);
                var direct = await Direct(Books * StagesPerBook);
                ratios.Add(engine.TotalMilliseconds / direct.TotalMilliseconds);
                engineMs += engine.TotalMilliseconds;
                directMs += direct.TotalMilliseconds;
            }
            var sorted = ratios.OrderBy(r => r).ToList();
            var stagesRun = Rounds * Books * StagesPerBook;
            Report.Figure($"BookBatch per stage{(withDashboard ? " (dashboard open)" : string.Empty)} / starting the process directly", sorted[Rounds / 2], "<= 1.3",
                $"median of {Rounds} rounds, {sorted[0]:0.00}-{sorted[Rounds - 1]:0.00}; {engineMs / stagesRun:0.00} ms over {directMs / stagesRun:0.00} ms"
                + (withDashboard ? $"; the pages got {OpenDashboard.Updates} pictures" : string.Empty));
        }

        // A dashboard of the workspace and a page that reads its events until the batch is over; nothing without one.
        private static IDisposable? Watch(BenchWorkspace ws, bool withDashboard)
        {
            if (!withDashboard) return null;
            return new OpenDashboard(Engine.Dashboard.DashboardServer.Start(ws.Workspace, "127.0.0.1", 0, null));
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
