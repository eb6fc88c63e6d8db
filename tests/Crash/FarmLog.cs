using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace BookBatch.Crash
{
    /// <summary>
    /// One line of the farm's starts.log (see <see cref="Scripts.Stage"/>): S a stage's start, E its end (Detail: how),
    /// V a verify call (Detail: its answer), O a start that found its book's stage locked by another process, C the
    /// concurrency slot a start took (Detail: its number, 0 none). Pids are the server's own (its PID namespace's).
    /// </summary>
    internal sealed record StageLine(char Kind, long Ms, string Stage, string Title, int Pid, string Server, string Detail)
    {
        /// <summary>The complete lines of <paramref name="path"/> that the farm counts.</summary>
        public static List<StageLine> Read(string path)
        {
            var lines = new List<StageLine>();
            foreach (var text in PidWatcher.CompleteLines(path))
            {
                var f = text.Split('\t');
                string F(int i) => i < f.Length ? f[i] : "";
                if (f[0].Length != 1 || !long.TryParse(F(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) continue;
                int.TryParse(F(4), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid);
                var line = f[0][0] switch
                {
                    'S' => new StageLine('S', ms, F(2), F(3), pid, F(10), ""),
                    'E' => new StageLine('E', ms, F(2), F(3), pid, F(6), F(5)),
                    'V' => new StageLine('V', ms, F(2), F(3), pid, F(8), F(7)),
                    'O' => new StageLine('O', ms, F(2), F(3), pid, F(5), ""),
                    'C' => new StageLine('C', ms, F(2), F(3), pid, F(5), F(6)),
                    _ => null,
                };
                if (line != null) lines.Add(line);
            }
            return lines;
        }
    }

    /// <summary>What the farm did to its workers and its database, as the figures need it.</summary>
    internal sealed record FarmEvent(string Kind, string? Server, long Ms, long EndMs)
    {
        public const string Kill = "SIGKILL", Freeze = "SIGSTOP", Cut = "cut", Terminate = "terminate", Restart = "restart";

        public bool Database => Kind is Terminate or Restart;

        /// <summary>A worker that was there but could not reach anything for a while: frozen, or its network cut.</summary>
        public bool Away => Kind is Freeze or Cut;
    }

    /// <summary>A killed worker's books to another worker's start: the times measured, and why the others were not.</summary>
    internal sealed class BooksFree
    {
        public List<long> Times { get; } = new();

        /// <summary>
        /// The times of books whose stage has neither a place limit nor a quota: where a book that came free may still
        /// queue behind others for a render place or an upload start, these measure its coming free alone.
        /// </summary>
        public List<long> UnlimitedTimes { get; } = new();

        /// <summary>The median and the longest of <see cref="Times"/>.</summary>
        public string Started => FarmMeasures.Spread(Times);

        /// <summary>The median and the longest of <see cref="UnlimitedTimes"/>.</summary>
        public string Unlimited => FarmMeasures.Spread(UnlimitedTimes);
        public int NoWorker { get; set; }
        public int StageFull { get; set; }
        public int DatabaseAway { get; set; }
        public int NeverAgain { get; set; }

        public override string ToString() => $"{NoWorker} / {StageFull} / {DatabaseAway} / {NeverAgain}";
    }

    /// <summary>The farm's counts that no other scenario takes.</summary>
    internal static class FarmMeasures
    {
        /// <summary>
        /// For each kill of <paramref name="kind"/>: the books the killed worker was running a stage of, and for each the
        /// time until a worker started anything of the book again (a stage, or verify): another one, or, after a freeze,
        /// the frozen one once it woke and took the book back (a killed one starts nothing). Measured only where another
        /// worker could have taken the book when it came free (the kill, or for a freeze the lease's end): one up, not
        /// frozen, with fewer books running than its throttle; for a render, a place free among the other servers'
        /// renders, for an upload the quota not spent (a book whose upload was cut off waits for it before it is looked
        /// at again); and no database event from its workers' back-off before the kill to <paramref name="limitMs"/> after.
        /// </summary>
        public static BooksFree ToBooksFree(string kind, long freeAfterMs, long limitMs, List<StageLine> lines, List<FarmEvent> events, List<FarmWorker> workers)
        {
            var result = new BooksFree();
            var starts = lines.Where(l => l.Kind == 'S').ToList();
            var ends = lines.Where(l => l.Kind == 'E').GroupBy(l => (l.Server, l.Title, l.Stage, l.Pid)).ToDictionary(g => g.Key, g => g.Min(l => l.Ms));
            // Running at t: started, not ended, and not yet past its stage's length (one the engine killed has no end line).
            bool Running(StageLine s, long t) =>
                s.Ms <= t && t < Math.Min(ends.TryGetValue((s.Server, s.Title, s.Stage, s.Pid), out var end) ? end : long.MaxValue, s.Ms + FarmPlan.LongestMs(s.Stage));
            var activity = lines.Where(l => l.Kind is 'S' or 'V').OrderBy(l => l.Ms).ToList();
            foreach (var kill in events.Where(e => e.Kind == kind))
            {
                var held = starts.Where(s => s.Ms <= kill.Ms).GroupBy(s => s.Title).Select(g => g.MaxBy(s => s.Ms)!)
                    .Where(s => s.Server == kill.Server && Running(s, kill.Ms)).ToList();
                var free = kill.Ms + freeAfterMs;
                var others = starts.Where(s => s.Server != kill.Server && Running(s, free)).ToList();
                var able = workers.Any(w => w.Server != kill.Server && w.UpMs <= free && (w.DownMs ?? long.MaxValue) > free && !FrozenAt(w.Server, free, events) &&
                                            others.Where(s => s.Server == w.Server).Select(s => s.Title).Distinct().Count() < FarmPlan.Throttle);
                var databaseAway = events.Any(e => e.Database && e.EndMs >= kill.Ms - FarmPlan.DatabaseAftermathMs && e.Ms <= kill.Ms + limitMs);
                foreach (var book in held)
                {
                    if (!able) result.NoWorker++;
                    else if (StageFull(book.Stage, free, others, starts)) result.StageFull++;
                    else if (databaseAway) result.DatabaseAway++;
                    else if (activity.FirstOrDefault(l => l.Title == book.Title && l.Ms > kill.Ms) is { } next)
                    {
                        result.Times.Add(next.Ms - kill.Ms);
                        if (book.Stage is not ("render" or "upload")) result.UnlimitedTimes.Add(next.Ms - kill.Ms);
                    }
                    else result.NeverAgain++;
                }
            }
            return result;
        }

        /// <summary>The median and the longest of <paramref name="times"/>, and how many.</summary>
        public static string Spread(List<long> times) => times.Count == 0 ? "none measured"
            : $"median {times.OrderBy(t => t).ElementAt(times.Count / 2)} ms, longest {times.Max()} ms, {times.Count} measured";

        /// <summary>
        /// The times books came free after events of <paramref name="kind"/> (<see cref="FreeWatch"/>), leaving out those
        /// near a database event (its sessions ended or PostgreSQL restarted: everything comes free then, or nothing can be read).
        /// </summary>
        public static List<long> FreeTimes(List<FreeTime> free, string kind, List<FarmEvent> events) =>
            free.Where(f => f.Kind == kind && f.Ms is not null &&
                            !events.Any(e => e.Database && e.EndMs >= f.EventMs - FarmPlan.DatabaseAftermathMs && e.Ms <= f.EventMs + f.Ms))
                .Select(f => f.Ms!.Value).ToList();

        private static bool StageFull(string stage, long at, List<StageLine> othersRunning, List<StageLine> starts) => stage switch
        {
            "render" => othersRunning.Count(s => s.Stage == "render") >= FarmPlan.RenderLimit,
            "upload" => starts.Count(s => s.Stage == "upload" && s.Ms <= at && s.Ms > at - FarmPlan.UploadWindowSeconds * 1000L) >= FarmPlan.UploadStarts,
            _ => false,
        };

        private static bool FrozenAt(string server, long ms, List<FarmEvent> events) =>
            events.Any(e => e.Away && e.Server == server && e.Ms <= ms && ms < e.EndMs);

        /// <summary>
        /// The most upload starts surely within one window of the rate. A start is logged by the stage's process, a moment
        /// after the engine counted it in the window: up to <paramref name="jitterMs"/> before, and, when the start came
        /// just after a freeze of its worker or a database event, possibly before that began (the count went through, the
        /// process start waited). So each start is known to lie between a Lo and its logged time, and a set counts only
        /// when all of it surely fits in the window: no overrun is seen that did not happen, while an engine that ignored
        /// the quota shows at once.
        /// </summary>
        public static int MostUploadsInWindow(List<StageLine> lines, List<FarmEvent> events, long windowMs, long jitterMs)
        {
            var disturbances = events.Where(e => e.Away || e.Database).ToList();
            var starts = lines.Where(l => l.Kind == 'S' && l.Stage == "upload").Select(l =>
            {
                var lo = l.Ms - jitterMs;
                foreach (var d in disturbances.Where(d => (d.Server is null || d.Server == l.Server) && l.Ms >= d.Ms && l.Ms <= d.EndMs + jitterMs))
                    lo = Math.Min(lo, d.Ms - jitterMs);
                return (Lo: lo, Hi: l.Ms);
            }).ToList();
            return Measures.MostSurelyWithin(starts, windowMs);
        }
    }
}
