using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Workspaces;
using BookBatch.Postgres.Tests;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// (f) The PostgreSQL store on a throwaway loopback server: a book's claim and its release through the seam (median),
    /// and planning 10,000 lines against 100,000 books in the store over the same plan on the file store.
    /// </summary>
    internal static class Store
    {
        private const string PasswordVariable = "BOOKBATCH_BENCH_PGPASSWORD";

        public static void Run()
        {
            Console.WriteLine("(f) the PostgreSQL store: a claim and its release; planning 10,000 lines against 100,000 books");
            if (PostgresServer.FindBin() is null)
            {
                Console.WriteLine("  skipped: no PostgreSQL server found (apt-get install postgresql)");
                return;
            }
            using var server = new PostgresServer();
            var files = NewWorkspace(null);
            var store = NewWorkspace(server);
            try
            {
                Claims(store);
                Planning(files, store);
            }
            finally
            {
                foreach (var workspace in new[] { files, store })
                    try { Directory.Delete(workspace.Root, recursive: true); } catch (IOException) { }
            }
        }

        // 1,000 claims and releases of different books, after 100 to warm up; one holder session, as a batch has.
        private static void Claims(Workspace workspace)
        {
            using var coordination = WorkspaceStore.Open(workspace);
            var times = new List<double>();
            for (var i = 0; i < 1100; i++)
            {
                var clock = Stopwatch.StartNew();
                using (coordination.TryHoldBook(new Book("Claimed " + i, "Author"), "bench") ?? throw new InvalidOperationException("a free book was not claimed")) { }
                clock.Stop();
                if (i >= 100) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var median = times[times.Count / 2];
            Report.Figure("a claim and its release, median (ms)", median, "<= 5 ms",
                $"1,000 on loopback; 90th percentile {times[times.Count * 9 / 10]:0.00} ms, slowest {times[^1]:0.00} ms");
        }

        // The same 100,000 books in both stores, as (b) makes them; the plan reads what it names, parses the list and asks the holds.
        private static void Planning(Workspace files, Workspace store)
        {
            var ledger = Benchmarks.Planning.RecordedLedger();
            File.WriteAllBytes(files.DatabasePath, LedgerJson.Write(ledger));
            using (var coordination = WorkspaceStore.Open(store))
                ((IPostgresLedger)coordination.Ledger).Load(ledger, replace: true, CancellationToken.None);
            var books = BookListParser.ParseText(Benchmarks.Planning.ListText()).Where(l => l.Book != null).Select(l => l.Book!).ToList();

            double Plan(Workspace workspace)
            {
                var clock = Stopwatch.StartNew();
                using var coordination = WorkspaceStore.Open(workspace);
                var plan = BatchPlan.Create("bench", coordination.Ledger.ReadFor(books), books, workspace.Root, force: false, (_, _) => { }, coordination.Holds(null));
                if (plan.Books.Count != 10_000) throw new InvalidOperationException("the plan lost books");
                return clock.Elapsed.TotalMilliseconds;
            }
            Plan(files);
            Plan(store);
            var fileTimes = new List<double>();
            var storeTimes = new List<double>();
            for (var i = 0; i < 7; i++) // in turns, so that a noisy spell falls on both
            {
                fileTimes.Add(Plan(files));
                storeTimes.Add(Plan(store));
            }
            fileTimes.Sort();
            storeTimes.Sort();
            var (file, pg) = (fileTimes[3], storeTimes[3]);
            Report.Figure("plan 10,000 lines, PostgreSQL / file store", pg / file, "<= 1.5",
                $"median of 7: {pg:0} ms over {file:0} ms, 100,000 books, the store opened each time");
        }

        // A workspace with one no-op stage (or the settings given, as JSON members); with a server, its bookbatch.json names a
        // new database there, its schema made.
        public static Workspace NewWorkspace(PostgresServer? server, string? settings = null)
        {
            var workspace = new Workspace(Path.Combine(Path.GetTempPath(), "bookbatch-bench", Guid.NewGuid().ToString("N").Substring(0, 10)));
            Directory.CreateDirectory(workspace.Root);
            var store = server is null ? "" :
                $", \"store\": {{\"kind\": \"postgres\", \"host\": \"127.0.0.1\", \"port\": {server.Port}, \"database\": \"{server.NewDatabase()}\", " +
                $"\"userName\": \"{PostgresServer.UserName}\", \"passwordVariable\": \"{PasswordVariable}\"}}";
            File.WriteAllText(workspace.SettingsPath, "{" + (settings ?? "\"stages\": [{\"name\": \"render\", \"command\": \"true\"}]") + store + "}");
            Environment.SetEnvironmentVariable(PasswordVariable, server?.Password);
            if (server != null && WorkspaceStore.StoreOf(workspace) is { } named)
                PostgresLibrary.Open(named, server.Password, "the benchmark").Migrate(CancellationToken.None);
            return workspace;
        }
    }
}
