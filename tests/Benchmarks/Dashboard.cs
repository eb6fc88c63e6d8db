using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Dashboard;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Reports;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Stores;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// The dashboard's memory over a large workspace: 10,000 books in the ledger and 100 batches of 100 books (journals
    /// of every stage attempt), the newest one running with 8 books in flight. The workspace is read and the page's body
    /// drawn again and again while the running batch's journal and run folders grow; the figure is the managed heap
    /// after the last read over the heap after the first (1.0: flat).
    /// </summary>
    internal static class Dashboard
    {
        private static readonly string[] Stages = { "search", "transcribe", "process", "tts", "render", "upload", "shorts" };

        public static void Run(int books = 10_000, int batches = 100, int reads = 300)
        {
            Console.WriteLine($"(e) dashboard memory: {books:N0} books, {batches} batches, {reads} reads while a batch runs");
            using var ws = new BenchWorkspace(Stages.Select(s => (s, "true", Array.Empty<string>(), s == "render" ? 1 : 0)));
            var workspace = ws.Workspace;
            var clock = Stopwatch.StartNew();
            var titles = Report.Books(books).ToList();
            new LedgerStore(workspace).Update(ledger => { foreach (var book in titles) ledger.Add(book, DateTime.Now); return (true, 0); });
            Directory.CreateDirectory(workspace.BatchesPath);
            var start = DateTimeOffset.Now.AddDays(-batches);
            for (var b = 0; b < batches - 1; b++) WriteJournal(workspace.BatchesPath, start.AddDays(b), titles.Skip(b * 100).Take(100).ToList(), b);
            using var running = new RunningBatch(workspace, titles.Skip((batches - 1) * 100).Take(100).ToList());
            Console.WriteLine($"  workspace written in {clock.Elapsed.TotalSeconds:0.0} s");

            var reader = new WorkspaceReader(workspace, WorkspaceStore.Open(workspace));
            DashboardHtml.Body(reader.Read(DateTimeOffset.Now));
            var before = GC.GetTotalMemory(forceFullCollection: true);
            clock.Restart();
            var bodyLength = 0;
            for (var i = 0; i < reads; i++)
            {
                running.Progress(i);
                bodyLength = DashboardHtml.Body(reader.Read(DateTimeOffset.Now)).Length;
            }
            var perRead = clock.Elapsed.TotalMilliseconds / reads;
            var after = GC.GetTotalMemory(forceFullCollection: true);
            Report.Figure("dashboard heap after / after the first read", (double)after / before, "<= 1.1",
                $"{before / 1e6:0.0} MB -> {after / 1e6:0.0} MB, {perRead:0.0} ms a read, body {bodyLength / 1000} kB");
        }

        private static void WriteJournal(string folder, DateTimeOffset at, List<Book> books, int n)
        {
            var id = at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-b" + n.ToString("000", CultureInfo.InvariantCulture);
            var text = new StringBuilder();
            string T(DateTimeOffset t) => t.ToString("o", CultureInfo.InvariantCulture);
            text.Append("{\"event\":\"start\",\"time\":\"").Append(T(at)).Append("\",\"batch\":\"").Append(id).Append("\",\"host\":\"elsewhere\",\"pid\":1}\n");
            for (var i = 0; i < books.Count; i++)
                text.Append("{\"event\":\"plan\",\"time\":\"").Append(T(at)).Append("\",\"index\":").Append(i + 1).Append(",\"book\":\"").Append(books[i]).Append("\",\"action\":\"Process\"}\n");
            for (var i = 0; i < books.Count; i++)
            {
                var t = at.AddSeconds(i * 10);
                var failed = i % 17 == 0;
                foreach (var stage in Stages)
                {
                    text.Append("{\"event\":\"stage\",\"time\":\"").Append(T(t.AddSeconds(1))).Append("\",\"book\":\"").Append(books[i]).Append("\",\"stage\":\"").Append(stage)
                        .Append("\",\"attempt\":1,\"result\":\"").Append(failed && stage == "tts" ? "Failed" : "Succeeded").Append("\",\"error\":null,\"started\":\"").Append(T(t)).Append("\"}\n");
                    t = t.AddSeconds(1);
                    if (failed && stage == "tts") break;
                }
                text.Append("{\"event\":\"result\",\"time\":\"").Append(T(t)).Append("\",\"index\":").Append(i + 1).Append(",\"title\":\"").Append(books[i].Title)
                    .Append("\",\"author\":\"").Append(books[i].Author).Append("\",\"outcome\":\"").Append(failed ? "Failed" : "Success")
                    .Append("\",\"reason\":null,\"error\":").Append(failed ? "\"stage 'tts' failed: exit code 1\"" : "null")
                    .Append(",\"youtubeUrl\":null,\"shortUrl\":null,\"runFolder\":null,\"stagesRun\":[],\"started\":\"").Append(T(at.AddSeconds(i * 10)))
                    .Append("\",\"finished\":\"").Append(T(t)).Append("\"}\n");
            }
            text.Append("{\"event\":\"end\",\"time\":\"").Append(T(at.AddHours(1))).Append("\",\"interrupted\":false}\n");
            File.WriteAllText(Path.Combine(folder, id + ".jsonl"), text.ToString());
        }

        /// <summary>The newest batch, running in this process: 8 books held, each with its run folder, its journal growing.</summary>
        private sealed class RunningBatch : IDisposable
        {
            private readonly List<IDisposable> _held = new();
            private readonly List<(Book Book, RunFolder Folder)> _flying = new();
            private readonly Engine.Batches.BatchJournal _journal;
            private readonly string _id = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-live";

            public RunningBatch(Engine.Workspaces.Workspace workspace, List<Book> books)
            {
                _journal = Engine.Batches.BatchJournal.Create(workspace, _id);
                _journal.Write("start", w => { w.WriteString("host", Environment.MachineName); w.WriteNumber("pid", Process.GetCurrentProcess().Id); });
                foreach (var book in books) _journal.Write("plan", w => { w.WriteString("book", book.ToString()); w.WriteString("action", "Process"); });
                foreach (var book in books.Take(8))
                {
                    _held.Add(BookLease.TryAcquire(workspace, book, _id)!);
                    var folder = RunFolder.Create(workspace, book, Stages, DateTime.Now);
                    _held.Add(folder);
                    new LedgerStore(workspace).Update(l => { l.FindExisting(book).RunFolder = folder.Name; return (true, 0); });
                    _flying.Add((book, folder));
                }
            }

            /// <summary>One more attempt ends: a line in a run folder and in the journal.</summary>
            public void Progress(int n)
            {
                var (book, folder) = _flying[n % _flying.Count];
                var stage = Stages[(n / _flying.Count) % Stages.Length];
                var now = DateTimeOffset.Now;
                folder.AttemptStarted(stage, n + 1, _id, now);
                folder.AttemptEnded(stage, new StageOutcome(StageResult.Failed, 1, "again"), now, null);
                _journal.Write("stage", w =>
                {
                    w.WriteString("book", book.ToString()); w.WriteString("stage", stage); w.WriteNumber("attempt", n + 1);
                    w.WriteString("result", "Failed"); w.WriteString("error", "again"); w.WriteString("started", now);
                });
            }

            public void Dispose()
            {
                foreach (var held in _held) held.Dispose();
                _journal.Dispose();
            }
        }
    }
}
