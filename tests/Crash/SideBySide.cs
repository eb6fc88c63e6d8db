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
        /// Four batches at once over one list: a stage's concurrency must hold across all of them, and every stage of
        /// every book must run exactly once.
        /// </summary>
        public static async Task<Report> SideBySide(Context c)
        {
            var books = c.Long ? 20 : 8;
            // Throttle 2 a batch: four batches keep eight books in flight, so that each stage's limit is tested both
            // within a batch and across batches (with 4 a batch, two batches take every book and two find them held).
            const int batches = 4, throttle = 2, renderLimit = 1, uploadLimit = 2;
            var report = new Report("side-by-side",
                $"{batches} batches at once (throttle {throttle} each) over one {books}-book list; render concurrency {renderLimit}, upload {uploadLimit}");
            var dir = c.NewDir("side-by-side");
            report.Folder = dir.Root;
            var spec = new PipelineSpec { Verify = c.Verify(true, report) }.Seconds(0.2, 1.0);
            spec.Sleep["render"] = 1.0;
            spec.Concurrency["render"] = renderLimit;
            spec.Concurrency["upload"] = uploadLimit;
            dir.WriteSettings(spec);
            var titles = Enumerable.Range(1, books).Select(i => $"Side Book {i:00}").ToList();
            var list = dir.WriteList("books.txt", titles);
            using var watcher = new PidWatcher(dir.StartsLog);
            var hosts = Enumerable.Range(0, batches).Select(_ => BatchHost.Start(c.Paths, dir, list, throttle)).ToList();
            var status = new List<BookState>();
            try
            {
                await Task.WhenAll(hosts.Select(h => h.ReadyAsync()));
                await Task.WhenAll(hosts.Select(h => h.GoAsync()));
                var limit = TimeSpan.FromSeconds(c.Long ? 240 : 120);
                var all = Task.WhenAll(hosts.Select(h => h.Exited));
                if (await Task.WhenAny(all, Task.Delay(limit)) != all) report.Notes.Add($"the batches did not all end within {limit.TotalSeconds:0} s");
                // The status written by the batch that ended last is the workspace's end.
                var last = hosts.Where(h => h.HasExited).OrderBy(h => h.ExitMs).LastOrDefault();
                if (last != null) status = last.ReadStatus();
                await Settle(hosts, watcher, report, "side-by-side");
            }
            finally
            {
                foreach (var h in hosts.Where(h => !h.HasExited)) h.Signal(Os.SIGKILL);
            }

            var processes = watcher.Processes;
            var render = Measures.Concurrent(processes, "render", renderLimit);
            var upload = Measures.Concurrent(processes, "upload", uploadLimit);
            var counts = processes.GroupBy(p => (p.Title, p.Stage)).ToDictionary(g => g.Key, g => g.Count());
            var extra = counts.Values.Sum(n => Math.Max(0, n - 1));
            var missing = titles.Sum(t => PipelineSpec.StageNames.Count(s => !counts.ContainsKey((t, s))));
            var publications = PidWatcher.ReadPublications(dir.PublishedLog);
            var notDone = titles.Count(t => !(status.FirstOrDefault(b => b.Title == t)?.Done ?? false));
            report.AtMost($"render processes at one instant (most), limit {renderLimit}", render.Most, renderLimit);
            report.AtMost($"upload processes at one instant (most), limit {uploadLimit}", upload.Most, uploadLimit);
            report.AtMost("render starts beyond its concurrency", render.StartsOverLimit, 0);
            report.AtMost("upload starts beyond its concurrency", upload.StartsOverLimit, 0);
            report.AtMost("stage runs beyond one per stage and book", extra, 0);
            report.AtMost("stages of a book that never ran", missing, 0);
            report.AtMost("books published twice", Measures.PublishedTwice(publications), 0);
            report.AtMost("books not Done at the end", notDone, 0);
            var outcomes = hosts.SelectMany(h => h.Results()).GroupBy(r => r.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal);
            report.Info("results of the batches", string.Join(", ", outcomes.Select(g => $"{g.Key} {g.Count()}")));
            report.Info("stage starts / publications", $"{processes.Count} / {publications.Count}");
            return report;
        }
    }
}
