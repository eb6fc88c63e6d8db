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
        private sealed class SignalRun
        {
            public required string Signal { get; init; }
            public int Number { get; init; }
            public int Batches { get; set; }
            public int UploadStarts { get; set; }
            public int Publications { get; set; }
            public int StartsAfterSuccess { get; set; }
            public int UploadAgain { get; set; }
            public int Orphans { get; set; }
            public long? MostOutlived { get; set; }
            public long? HostExitAfterSignal { get; set; }
            public string End { get; set; } = "?";
            public bool DoneWithoutPublication { get; set; }
            public bool Unfinished { get; set; }
            public int Verifies { get; set; }
            public bool HostIgnoredSignal { get; set; }
        }

        /// <summary>
        /// One book whose upload takes 5 s; its host is killed ~2.5 s into the upload (SIGKILL, SIGTERM, SIGINT), the next
        /// batch starts at once, and more until the book is Done or in Review. Without verify (unless --verify): a
        /// cut-off upload must end in Review or, if the engine waited for it, Done with its one publication.
        /// </summary>
        public static async Task<Report> Signals(Context c)
        {
            var runs = c.Long ? 3 : 1;
            var report = new Report("signals",
                $"one book, upload 5 s, the host killed ~2.5 s into it by SIGKILL, SIGTERM, SIGINT ({runs} each), the next batch at once, until Done or Review");
            var verify = c.Verify(false, report);
            report.Header = new[] { "signal", "batches", "upload starts", "publications", "starts after success", "again unasked", "orphans > 2 s", "longest orphan ms", "host exit ms", "verify calls", "end" };
            var all = new List<SignalRun>();
            foreach (var signal in new[] { Os.SIGKILL, Os.SIGTERM, Os.SIGINT })
                for (var n = 1; n <= runs; n++)
                {
                    var run = await RunSignal(c, signal, n, verify, report);
                    all.Add(run);
                    report.Row($"{run.Signal} #{run.Number}", run.Batches, run.UploadStarts, run.Publications, run.StartsAfterSuccess, run.UploadAgain,
                        run.Signal == "SIGKILL" ? $"({run.Orphans})" : run.Orphans.ToString(CultureInfo.InvariantCulture),
                        run.MostOutlived?.ToString(CultureInfo.InvariantCulture) ?? "-",
                        run.HostExitAfterSignal?.ToString(CultureInfo.InvariantCulture) ?? "-", run.Verifies, run.End);
                }
            report.AtMost("publications of the book (most in one run)", all.Max(r => r.Publications), 1);
            report.AtMost("upload starts after a recorded success", all.Sum(r => r.StartsAfterSuccess), 0);
            report.AtMost("upload started again without verify answering \"not published\"", all.Sum(r => r.UploadAgain), 0);
            report.AtMost("SIGTERM/SIGINT: stage processes alive > 2 s after their host", all.Where(r => r.Signal != "SIGKILL").Sum(r => r.Orphans), 0);
            report.AtMost("runs ending Done without a publication", all.Count(r => r.DoneWithoutPublication), 0);
            report.AtMost("runs neither Done nor Review at the time limit", all.Count(r => r.Unfinished), 0);
            report.Info("SIGKILL: stage processes alive > 2 s after their host", all.Where(r => r.Signal == "SIGKILL").Sum(r => r.Orphans));
            report.Info("runs ending in Review", all.Count(r => r.End.StartsWith("Review", StringComparison.Ordinal)));
            if (all.Any(r => r.HostIgnoredSignal))
                report.Notes.Add("a host still ran 30 s after its SIGTERM/SIGINT and was ended with SIGKILL: " +
                    string.Join(", ", all.Where(r => r.HostIgnoredSignal).Select(r => $"{r.Signal} #{r.Number}")));
            report.Notes.Add("the signal goes to the host's pid alone (as kill(1) or a service manager's main-process stop would), not to its process group: the stages get no signal but what the host sends them");
            return report;
        }

        private static async Task<SignalRun> RunSignal(Context c, int signal, int number, bool verify, Report report)
        {
            var name = Os.SignalName(signal);
            var run = new SignalRun { Signal = name, Number = number };
            const string title = "Signal Book";
            var dir = c.NewDir($"signals-{name}-{number}");
            var spec = new PipelineSpec { Verify = verify }.Seconds(0, 5);
            dir.WriteSettings(spec);
            var list = dir.WriteList("books.txt", new[] { title });
            using var watcher = new PidWatcher(dir.StartsLog);
            var hosts = new List<BatchHost>();
            BatchHost Start()
            {
                var h = BatchHost.Start(c.Paths, dir, list, 1);
                hosts.Add(h);
                return h;
            }
            var first = Start();
            var standby = Start();
            try
            {
                await first.GoAsync();
                run.Batches = 1;
                var upload = await Until(() => watcher.Processes.FirstOrDefault(p => p.Stage == "upload"), TimeSpan.FromSeconds(60), () => first.HasExited);
                if (upload is null)
                {
                    run.End = "no upload started";
                    run.Unfinished = true;
                    report.Notes.Add($"{name} #{number}: the first batch never started the upload ({string.Join(" | ", first.Lines.TakeLast(3))})");
                    return run;
                }
                var wait = upload.StartMs + 2500 - Clock.Now;
                if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait));
                if (!first.Signal(signal)) report.Notes.Add($"{name} #{number}: the signal could not be sent (host {first.Pid} exited before)");

                // The next batch at once, and the one after it until the book is Done or in Review.
                var deadline = Stopwatch.StartNew();
                var limit = TimeSpan.FromSeconds(60);
                BookState? state = null;
                while (true)
                {
                    var current = standby;
                    await current.GoAsync();
                    run.Batches++;
                    standby = Start();
                    var left = limit - deadline.Elapsed;
                    if (left <= TimeSpan.Zero || !await current.WaitAsync(left)) break;
                    state = current.ReadStatus().FirstOrDefault(b => b.Title == title) ?? state;
                    if (state != null && (state.Done || state.Review)) break;
                    if (deadline.Elapsed > limit) break;
                }
                await standby.DismissAsync();

                // The signalled host: how long it took to exit.
                if (!await first.WaitAsync(TimeSpan.FromSeconds(30)))
                {
                    run.HostIgnoredSignal = true;
                    first.Signal(Os.SIGKILL);
                    await first.WaitAsync(TimeSpan.FromSeconds(10));
                }
                if (first.ExitMs is long exited && first.SignalMs is long sent) run.HostExitAfterSignal = exited - sent;
                await Settle(hosts, watcher, report, $"{name} #{number}");

                var processes = watcher.Processes;
                var publications = PidWatcher.ReadPublications(dir.PublishedLog).Where(p => p.Title == title).ToList();
                run.UploadStarts = processes.Count(p => p.Stage == "upload");
                run.Publications = publications.Count;
                run.StartsAfterSuccess = Measures.StartedAfterSuccess(processes.Where(p => p.Stage == "upload"), RunRecords.Successes(dir.Workspace)).Count;
                run.Verifies = watcher.Verifies.Count;
                run.UploadAgain = Measures.UploadAgainWithoutVerify(processes, watcher.Verifies).Count;
                if (first.ExitMs is long hostEnd)
                {
                    var mine = processes.Where(p => p.ParentPid == first.Pid && p.StartMs <= hostEnd).ToList();
                    var outlived = mine.Select(p => (p.EndMs ?? Clock.Now) - hostEnd).Where(ms => ms > 0).ToList();
                    run.MostOutlived = outlived.Count == 0 ? null : outlived.Max();
                    run.Orphans = outlived.Count(ms => ms > 2000);
                }
                if (state is null) { run.End = "no status"; run.Unfinished = true; }
                else if (state.Done)
                {
                    run.End = publications.Count > 0 ? "Done, published" : "Done, NOT published";
                    run.DoneWithoutPublication = publications.Count == 0;
                }
                else if (state.Review) run.End = $"Review ({publications.Count} published)";
                else { run.End = $"{state.Status}/{state.Action} at the time limit"; run.Unfinished = true; }
                return run;
            }
            finally
            {
                foreach (var h in hosts) await h.DismissAsync();
                foreach (var h in hosts.Where(h => !h.HasExited)) h.Signal(Os.SIGKILL);
            }
        }
    }
}
