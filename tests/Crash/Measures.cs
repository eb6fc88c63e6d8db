using System;
using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Crash
{
    /// <summary>The counts every scenario takes from what the stages logged outside the workspace.</summary>
    internal static class Measures
    {
        /// <summary>Books with two publications or more in published.log.</summary>
        public static int PublishedTwice(IEnumerable<Publication> publications) =>
            publications.GroupBy(p => p.Title, StringComparer.Ordinal).Count(g => g.Count() > 1);

        /// <summary>The most publications any one book got.</summary>
        public static int MostPublications(IEnumerable<Publication> publications) =>
            publications.GroupBy(p => p.Title, StringComparer.Ordinal).Select(g => g.Count()).DefaultIfEmpty(0).Max();

        /// <summary>
        /// Stage processes started for a run folder after that folder's bookbatch-run.jsonl recorded the stage
        /// Succeeded: a stage that succeeded ran again.
        /// </summary>
        public static List<StageProcess> StartedAfterSuccess(IEnumerable<StageProcess> processes, Dictionary<(string Run, string Stage), long> successes) =>
            processes.Where(p => successes.TryGetValue((p.Run, p.Stage), out var at) && p.StartMs > at).ToList();

        /// <summary>
        /// Upload starts in a run folder that already had an upload attempt, without a verify call in between that
        /// answered "not published": the engine could not know whether the earlier attempt published (it was cut off,
        /// or it still ran), and published again instead of asking (docs/ARCHITECTURE.md, "Resume": verify, else
        /// Review).
        /// </summary>
        public static List<StageProcess> UploadAgainWithoutVerify(IEnumerable<StageProcess> processes, IEnumerable<VerifyCall> verifies)
        {
            var answers = verifies.Where(v => v.Answer == "not-published").ToList();
            var again = new List<StageProcess>();
            foreach (var run in processes.Where(p => p.Stage == "upload").GroupBy(p => p.Run))
            {
                var list = run.OrderBy(p => p.StartMs).ToList();
                for (var i = 1; i < list.Count; i++)
                    if (!answers.Any(v => v.Title == list[i].Title && v.Ms >= list[i - 1].StartMs && v.Ms <= list[i].StartMs)) again.Add(list[i]);
            }
            return again;
        }

        /// <summary>
        /// Starts of a stage of a book while another process of the same stage of the same book still ran (its end
        /// line, or the moment its pid was seen gone; still running counts as running).
        /// </summary>
        public static List<StageProcess> SameStageOverlaps(IEnumerable<StageProcess> processes)
        {
            var overlaps = new List<StageProcess>();
            foreach (var group in processes.GroupBy(p => (p.Title, p.Stage)))
            {
                var list = group.OrderBy(p => p.StartMs).ToList();
                for (var i = 1; i < list.Count; i++)
                    if (list.Take(i).Any(q => (q.EndMs ?? long.MaxValue) > list[i].StartMs)) overlaps.Add(list[i]);
            }
            return overlaps;
        }

        /// <summary>
        /// The most processes of a stage running at one instant, across all books and batches, and how many starts
        /// found <paramref name="limit"/> or more already running.
        /// </summary>
        public static (int Most, int StartsOverLimit) Concurrent(IEnumerable<StageProcess> processes, string stage, int limit)
        {
            var events = new List<(long At, int Delta)>();
            foreach (var p in processes.Where(p => p.Stage == stage))
            {
                events.Add((p.StartMs, +1));
                events.Add((p.EndMs ?? long.MaxValue, -1));
            }
            // At the same millisecond an end comes before a start: the slot was given back first.
            events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Delta.CompareTo(b.Delta));
            int running = 0, most = 0, over = 0;
            foreach (var (_, delta) in events)
            {
                if (delta > 0 && running >= limit) over++;
                running += delta;
                most = Math.Max(most, running);
            }
            return (most, over);
        }

        /// <summary>The most starts of a stage within any window of <paramref name="windowMs"/>.</summary>
        public static int MostStartsInWindow(IEnumerable<StageProcess> processes, string stage, long windowMs)
        {
            var starts = processes.Where(p => p.Stage == stage).Select(p => p.StartMs).OrderBy(x => x).ToList();
            var most = 0;
            for (int i = 0, j = 0; i < starts.Count; i++)
            {
                while (starts[i] - starts[j] >= windowMs) j++;
                most = Math.Max(most, i - j + 1);
            }
            return most;
        }

        /// <summary>
        /// The most starts surely within one window of <paramref name="windowMs"/>, when each start is known only to lie
        /// between its Lo and Hi: a set counts when its latest Hi comes less than the window after its earliest Lo.
        /// </summary>
        public static int MostSurelyWithin(IReadOnlyList<(long Lo, long Hi)> starts, long windowMs) =>
            starts.Select(first => starts.Count(s => s.Lo >= first.Lo && s.Hi < first.Lo + windowMs)).DefaultIfEmpty(0).Max();
    }
}
