using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Crash
{
    internal static partial class Scenarios
    {
        /// <summary>
        /// The upload's quota (3 starts an hour) across batches: two batches in a row, then two at once in a fresh
        /// workspace. Books beyond the quota should end Skipped, "waiting for stage 'upload'".
        /// </summary>
        public static async Task<Report> Rate(Context c)
        {
            const int books = 6, starts = 3, perSeconds = 3600;
            var report = new Report("rate",
                $"upload rate {starts} starts per {perSeconds} s; {books} books a batch: two batches in a row, then (a fresh workspace) two at once");
            report.Header = new[] { "case", "upload starts", "most in the window", "results" };
            var worst = 0;
            foreach (var together in new[] { false, true })
            {
                var name = together ? "two at once" : "two in a row";
                var dir = c.NewDir(together ? "rate-at-once" : "rate-in-a-row");
                var spec = new PipelineSpec { Verify = c.Verify(true, report), UploadRate = (starts, perSeconds) }.Seconds(0, 0.3);
                dir.WriteSettings(spec);
                var listA = dir.WriteList("books-a.txt", Enumerable.Range(1, books).Select(i => $"Rate Book A{i}"));
                // In a row: the same list twice (the next night's batch); at once: two lists, so no lease stands between them.
                var listB = together ? dir.WriteList("books-b.txt", Enumerable.Range(1, books).Select(i => $"Rate Book B{i}")) : listA;
                using var watcher = new PidWatcher(dir.StartsLog);
                var hosts = new List<BatchHost> { BatchHost.Start(c.Paths, dir, listA, 2), BatchHost.Start(c.Paths, dir, listB, 2) };
                try
                {
                    if (together)
                    {
                        await Task.WhenAll(hosts.Select(h => h.ReadyAsync()));
                        await Task.WhenAll(hosts.Select(h => h.GoAsync()));
                        await Task.WhenAll(hosts.Select(h => h.WaitAsync(TimeSpan.FromSeconds(120))));
                    }
                    else
                        foreach (var h in hosts)
                        {
                            await h.GoAsync();
                            await h.WaitAsync(TimeSpan.FromSeconds(120));
                        }
                    await Settle(hosts, watcher, report, name);
                }
                finally
                {
                    foreach (var h in hosts.Where(h => !h.HasExited)) h.Signal(Os.SIGKILL);
                }
                var processes = watcher.Processes;
                var uploads = processes.Count(p => p.Stage == "upload");
                var most = Measures.MostStartsInWindow(processes, "upload", perSeconds * 1000L);
                worst = Math.Max(worst, most);
                var results = hosts.SelectMany(h => h.Results()).ToList();
                var waiting = results.Count(r => r.Reason.Contains("waiting for stage 'upload'", StringComparison.Ordinal));
                report.Row(name, uploads, most,
                    string.Join(", ", results.GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")) +
                    $" ({waiting} waiting for the upload's quota)");
                report.AtMost($"{name}: upload starts within {perSeconds} s", most, starts);
            }
            return report;
        }
    }
}
