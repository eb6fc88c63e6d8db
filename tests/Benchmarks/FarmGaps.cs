using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Runs;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// Where a farm's time over its bound goes, read from the run folders its books left: how long each book was in
    /// flight (its first stage's start to its last stage's end) over the sleeps of its stages,
    /// split into the stage processes' time over their sleeps, the time between stages, and the waits for a place of a
    /// stage with a concurrency; and how many books were in flight on average, of all that the workers' throttles allow.
    /// </summary>
    internal static class FarmGaps
    {
        public static void Report(string runs, IReadOnlyList<(string Name, double Ms, int Concurrency)> stages, int places, TimeSpan makespan)
        {
            var books = Directory.EnumerateDirectories(runs).Select(RunFolder.ReadDetails).Where(d => d != null).Select(d => d!).ToList();
            if (books.Count == 0) return;
            var sleep = stages.Sum(s => s.Ms);
            var (held, over, between, waits) = (0.0, 0.0, 0.0, 0.0);
            foreach (var book in books)
            {
                var attempts = stages.Select(s => book.Stage(s.Name).Attempts.Last()).ToList();
                held += (attempts[^1].Ended!.Value - attempts[0].Started).TotalMilliseconds;
                for (var i = 0; i < stages.Count; i++)
                {
                    over += (attempts[i].Ended!.Value - attempts[i].Started).TotalMilliseconds - stages[i].Ms;
                    if (i == 0) continue;
                    var gap = (attempts[i].Started - attempts[i - 1].Ended!.Value).TotalMilliseconds;
                    if (stages[i].Concurrency > 0) waits += gap;
                    else between += gap;
                }
            }
            var n = books.Count;
            Console.WriteLine($"    where the time goes: a book was in flight {held / n:0} ms for {sleep:0} ms of sleeps: its stages' processes " +
                $"{over / n:0.0} ms over their sleeps ({over / n / stages.Count:0.0} ms a stage), {between / n:0.0} ms between stages, " +
                $"{waits / n:0.0} ms waiting for a place of a limited stage; on average {held / makespan.TotalMilliseconds:0.00} books in flight of the {places} the throttles allow");
        }
    }
}
