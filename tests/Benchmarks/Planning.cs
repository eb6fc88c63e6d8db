using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (b) Planning a 10,000-line list against a 100,000-book database (read the file, parse the ledger and the
    /// list, one decision per book, the lease check of every book to work on) over one parse of that database
    /// (System.Text.Json's JsonDocument over the same bytes).
    /// </summary>
    internal static class Planning
    {
        /// <summary>100,000 recorded books: nine in ten done with a URL and a run folder, the rest processing.</summary>
        public static BookLedger RecordedLedger()
        {
            var ledger = BookLedger.Empty();
            var now = new DateTime(2025, 10, 19, 10, 30, 0);
            foreach (var book in Report.Books(100_000, "Recorded Title"))
            {
                var entry = ledger.Add(book, now);
                if (entry.Book.Title.EndsWith("0", StringComparison.Ordinal)) continue;
                entry.StatusText = LedgerKeys.StatusDone;
                entry.YouTubeUrl = "https://youtube.com/watch?v=" + Guid.NewGuid().ToString("N").Substring(0, 11);
                entry.RunFolder = "2025-10-19_10-30-00_" + entry.Book.Title.Replace(' ', '-');
            }
            return ledger;
        }

        /// <summary>A list of 10,000 lines: half name recorded books (in other spellings), half are new.</summary>
        public static string ListText()
        {
            var lines = new StringBuilder("# benchmark list\n");
            for (var i = 0; i < 10_000; i++)
                lines.Append(i % 2 == 0 ? $"  recorded TITLE {i * 7 + 1} |  author {(i * 7 + 1) % 97}\n" : $"New Title {i} | Someone\n");
            return lines.ToString();
        }

        public static void Run()
        {
            Console.WriteLine("(b) planning: 10,000 lines against a 100,000-book database.json");
            var root = Path.Combine(Path.GetTempPath(), "bookbatch-bench", Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(root);
            try
            {
                var workspace = new Workspace(root);
                File.WriteAllBytes(workspace.DatabasePath, LedgerJson.Write(RecordedLedger()));
                var listText = ListText();
                var bytes = File.ReadAllBytes(workspace.DatabasePath);

                // The three are measured in turns, so that a noisy spell of the machine falls on all of them.
                var (parse, plan, read) = Medians(
                    () => { using var doc = JsonDocument.Parse(bytes); },
                    () =>
                    {
                        var ledger = new LedgerStore(workspace).Read();
                        var books = BookListParser.ParseText(listText).Where(l => l.Book != null).Select(l => l.Book!).ToList();
                        var result = BatchPlan.Create("bench", ledger, books, root, force: false, (_, _) => { }, BookHolds.Reader(workspace, null));
                        if (result.Books.Count != 10_000) throw new InvalidOperationException("the plan lost books");
                    },
                    () => new LedgerStore(workspace).Read().Find(new Book("warm the index")));
                Report.Figure("plan 10,000 lines / one parse of the 100,000-book ledger", plan / parse, "<= 2",
                    $"{plan.TotalMilliseconds:0} ms over {parse.TotalMilliseconds:0} ms, {bytes.Length / 1e6:0.0} MB");
                Report.Figure("plan 10,000 lines / BookBatch's own read of that ledger", plan / read, "for comparison",
                    $"{plan.TotalMilliseconds:0} ms over {read.TotalMilliseconds:0} ms: read, parse, index by title");
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        // The median time of each action over 11 rounds, one run of each per round (after one to warm up).
        private static (TimeSpan, TimeSpan, TimeSpan) Medians(Action first, Action second, Action third)
        {
            var actions = new[] { first, second, third };
            var times = actions.Select(_ => new List<TimeSpan>()).ToArray();
            foreach (var action in actions) action();
            for (var round = 0; round < 11; round++)
                for (var i = 0; i < actions.Length; i++)
                {
                    GC.Collect();
                    var clock = Stopwatch.StartNew();
                    actions[i]();
                    times[i].Add(clock.Elapsed);
                }
            TimeSpan Median(List<TimeSpan> list) => list.OrderBy(t => t).ElementAt(list.Count / 2);
            return (Median(times[0]), Median(times[1]), Median(times[2]));
        }
    }
}
