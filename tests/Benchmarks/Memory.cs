using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (d) Memory growth over a 10,000-book batch of no-op stages: the managed heap after a full collection and the
    /// process's working set, before and after, in one process.
    /// </summary>
    internal static class Memory
    {
        public static async Task Run(int books = 10_000)
        {
            Console.WriteLine($"(d) memory: a {books:N0}-book batch of no-op stages (/usr/bin/true), throttle 8");
            using var ws = new BenchWorkspace(new[] { ("noop", "true", Array.Empty<string>(), 0), ("publish", "true", Array.Empty<string>(), 0) });
            await ws.RunBatch(Report.Books(10, "Warm-up"), 8);
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var setBefore = Process.GetCurrentProcess().WorkingSet64;
            var time = await ws.RunBatch(Report.Books(books), 8);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var setAfter = process.WorkingSet64;
            Console.WriteLine($"  managed heap growth {(heapAfter - heapBefore) / 1e6,8:0.0} MB   (target < 150 MB)");
            Console.WriteLine($"  working set growth  {(setAfter - setBefore) / 1e6,8:0.0} MB   ({time.TotalSeconds:0} s for {books:N0} books)");
        }
    }
}
