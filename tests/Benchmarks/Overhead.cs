using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (c) The per-stage cost of BookBatch (run folder, summary and details written atomically, log, ledger at the
    /// start and end of each book) over starting the same no-op process directly: 50 books × 7 stages of
    /// /usr/bin/true, one at a time, against 350 direct starts of /usr/bin/true, alternated in rounds, after a round of
    /// each that is not counted.
    /// </summary>
    internal static class Overhead
    {
        private const int Books = 50;
        private const int StagesPerBook = 7;

        public static async Task Run()
        {
            Console.WriteLine($"(c) per-stage overhead: {Books} books x {StagesPerBook} no-op stages against as many direct starts");
            var stages = Enumerable.Range(1, StagesPerBook).Select(i => ($"stage{i}", "true", Array.Empty<string>(), 0)).ToList();
            // A whole round of each first, not counted: both sides are measured once the runtime has compiled their
            // code to its final tier (it recompiles hot code in the background for a second or so, which a batch of
            // real stages does once in hours).
            using (var ws = new BenchWorkspace(stages))
                await ws.RunBatch(Report.Books(Books, "Warm-up"), 1);
            await Direct(Books * StagesPerBook);
            TimeSpan engine = TimeSpan.Zero, direct = TimeSpan.Zero;
            for (var round = 0; round < 3; round++)
            {
                using (var ws = new BenchWorkspace(stages))
                    engine += await ws.RunBatch(Report.Books(Books, $"Round {round}"), 1);
                direct += await Direct(Books * StagesPerBook);
            }
            var perStage = engine.TotalMilliseconds / (3 * Books * StagesPerBook);
            var perStart = direct.TotalMilliseconds / (3 * Books * StagesPerBook);
            Report.Figure("BookBatch per stage / starting the process directly", perStage / perStart, "<= 1.3",
                $"{perStage:0.00} ms over {perStart:0.00} ms");
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
