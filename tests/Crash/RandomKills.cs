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
        /// Many books at throttle 4; the host is SIGKILLed at random moments and the next batch starts at once, so that
        /// it meets the stages the killed host left running; then batches run to the end (verify configured, so no book
        /// needs Review). Files are checked after every kill.
        /// </summary>
        public static async Task<Report> RandomKills(Context c)
        {
            var books = c.Long ? 30 : 10;
            var kills = c.Long ? 100 : 8;
            const int throttle = 4;
            // Long: stages about as long as the time between kills, so that 100 kills still find work to cut off.
            var (others, uploadSeconds) = c.Long ? (1.5, 3.0) : (0.3, 2.5);
            var (minDelay, maxDelay) = c.Long ? (0.3, 3.0) : (0.5, 3.0);
            var report = new Report("random-kills",
                $"{books} books, throttle {throttle}, stages {others} s, upload {uploadSeconds} s; {kills} SIGKILLs {minDelay}-{maxDelay} s into a batch, the next batch at once; then batches to the end");
            var dir = c.NewDir("random-kills");
            report.Folder = dir.Root;
            var spec = new PipelineSpec { Verify = c.Verify(true, report) }.Seconds(others, uploadSeconds);
            dir.WriteSettings(spec);
            var titles = Enumerable.Range(1, books).Select(i => $"Kill Book {i:00}").ToList();
            var list = dir.WriteList("books.txt", titles);
            using var watcher = new PidWatcher(dir.StartsLog);
            var hosts = new List<BatchHost>();
            BatchHost Start()
            {
                var h = BatchHost.Start(c.Paths, dir, list, throttle);
                hosts.Add(h);
                return h;
            }
            var corrupt = new HashSet<string>();
            int killed = 0, batches = 0, finalBatches = 0;
            var allDone = false;
            List<BookState> status = new();
            var standby = Start();
            var killing = Stopwatch.StartNew();
            var killingLimit = TimeSpan.FromSeconds(c.Long ? 900 : 150);
            try
            {
                while (killed < kills && killing.Elapsed < killingLimit)
                {
                    var current = standby;
                    await current.GoAsync();
                    batches++;
                    standby = Start();
                    var delay = TimeSpan.FromSeconds(minDelay + c.Random.NextDouble() * (maxDelay - minDelay));
                    if (await current.WaitAsync(delay))
                    {
                        status = current.ReadStatus();
                        if (AllDone(status, titles))
                        {
                            allDone = true;
                            break;
                        }
                        continue;
                    }
                    current.Signal(Os.SIGKILL);
                    killed++;
                    await current.WaitAsync(TimeSpan.FromSeconds(10));
                    foreach (var bad in FileCheck.Of(dir.Workspace).Corrupt) corrupt.Add(bad);
                }
                if (allDone) report.Notes.Add($"every book was done after {killed} of {kills} kills: the kills stopped there");
                else if (killed < kills) report.Notes.Add($"only {killed} of {kills} kills in {killingLimit.TotalSeconds:0} s (batches ended by themselves before their kill)");

                // Let batches finish: the first at once (as after every kill), later ones once the stages left running are gone.
                var deadline = Stopwatch.StartNew();
                var limit = TimeSpan.FromSeconds(c.Long ? 300 : 120);
                while (!allDone && finalBatches < 6 && deadline.Elapsed < limit)
                {
                    if (finalBatches > 0) watcher.WaitAllGone(TimeSpan.FromSeconds(20));
                    var current = standby;
                    await current.GoAsync();
                    batches++;
                    finalBatches++;
                    standby = Start();
                    if (!await current.WaitAsync(limit - deadline.Elapsed)) break;
                    status = current.ReadStatus();
                    allDone = AllDone(status, titles);
                }
                await standby.DismissAsync();
                await Settle(hosts, watcher, report, "random-kills");
            }
            finally
            {
                foreach (var h in hosts) await h.DismissAsync();
                foreach (var h in hosts.Where(h => !h.HasExited)) h.Signal(Os.SIGKILL);
            }

            var end = FileCheck.Of(dir.Workspace);
            foreach (var bad in end.Corrupt) corrupt.Add(bad);
            var processes = watcher.Processes;
            var publications = PidWatcher.ReadPublications(dir.PublishedLog);
            var published = publications.Select(p => p.Title).ToHashSet(StringComparer.Ordinal);
            var successes = RunRecords.Successes(dir.Workspace);
            var again = Measures.StartedAfterSuccess(processes, successes);
            var overlaps = Measures.SameStageOverlaps(processes);
            var notDone = titles.Count(t => !(status.FirstOrDefault(b => b.Title == t)?.Done ?? false));
            var doneUnpublished = status.Count(b => b.Done && !published.Contains(b.Title));

            report.AtMost("books published twice", Measures.PublishedTwice(publications), 0);
            report.AtMost("corrupt files (database.json, .bak, summary.json, lease holders; after each kill and at the end)", corrupt.Count, 0);
            report.AtMost("books not Done at the end", notDone, 0);
            report.AtMost("books Done without a publication", doneUnpublished, 0);
            report.AtMost("stage starts after the stage's recorded success", again.Count, 0);
            report.AtMost("upload started again without verify answering \"not published\"", Measures.UploadAgainWithoutVerify(processes, watcher.Verifies).Count, 0);
            report.AtMost("starts while the same stage of the same book ran", overlaps.Count, 0);
            report.Info("stray temp files (.database.json.*.tmp / other *.tmp)", $"{end.DatabaseTemps} / {end.OtherTemps}");
            report.Info("kills / batches (final batches)", $"{killed} / {batches} ({finalBatches})");
            report.Info("stage starts / upload starts / publications", $"{processes.Count} / {processes.Count(p => p.Stage == "upload")} / {publications.Count}");
            report.Info("verify calls (published / not)", $"{watcher.Verifies.Count} ({watcher.Verifies.Count(v => v.Answer == "published")} / {watcher.Verifies.Count(v => v.Answer != "published")})");
            report.Info("books in Review at the end", status.Count(b => b.Review));
            if (again.Count > 0)
                report.Notes.Add("started again after success, by stage: " + string.Join(", ", again.GroupBy(p => p.Stage).Select(g => $"{g.Key} {g.Count()}")));
            if (overlaps.Count > 0)
                report.Notes.Add("overlapping starts, by stage: " + string.Join(", ", overlaps.GroupBy(p => p.Stage).Select(g => $"{g.Key} {g.Count()}")));
            foreach (var bad in corrupt.Take(5)) report.Notes.Add("corrupt: " + bad);
            NoteIgnoredVerify(report, spec.Verify, processes, watcher.Verifies);
            return report;
        }

        private static bool AllDone(List<BookState> status, List<string> titles) =>
            titles.All(t => status.FirstOrDefault(b => b.Title == t)?.Done ?? false);
    }
}
