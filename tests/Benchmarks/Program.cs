using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Stores;
using BookBatch.Engine.Watchdog;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Benchmarks
{
    /// <summary>
    /// dotnet run --project tests/Benchmarks -c Release [-- makespan|planning|overhead|overhead-dashboard|memory|dashboard|store|farm ...]
    /// Prints each figure of the README's "Benchmarks" as a ratio measured in one run, so that a noisy machine cancels
    /// out. Stages are real processes: /usr/bin/sleep and /usr/bin/true (on Windows, the figures need a Unix-like
    /// sleep and true on PATH).
    /// </summary>
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            // The short, processor-bound figures first: the makespan runs leave thousands of new files for the disk to
            // write back while the next benchmark runs.
            var which = args.Length == 0 ? new[] { "planning", "overhead", "overhead-dashboard", "makespan", "memory", "dashboard", "store", "farm" } : args;
            Console.WriteLine($"BookBatch benchmarks, {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            try
            {
                foreach (var name in which)
                {
                    switch (name)
                    {
                        case "makespan": await Makespan.Run(); break;
                        case "planning": Planning.Run(); break;
                        case "overhead": await Overhead.Run(withDashboard: false); break;
                        case "overhead-dashboard": await Overhead.Run(withDashboard: true); break;
                        case "memory": await Memory.Run(); break;
                        case "dashboard": Dashboard.Run(); break;
                        case "store": Store.Run(); break;
                        case "farm": await Farm.Run(); break;
                        default: Console.Error.WriteLine($"unknown benchmark '{name}': makespan, planning, overhead, overhead-dashboard, memory, dashboard, store, farm"); return 2;
                    }
                }
                return 0;
            }
            finally
            {
                BenchWorkspace.StopWatch();
            }
        }
    }

    /// <summary>A throw-away workspace with a pipeline of real processes.</summary>
    internal sealed class BenchWorkspace : IDisposable
    {
        /// <param name="stages">Each stage's name, command, arguments and concurrency (0: no limit, so no key).</param>
        public BenchWorkspace(IEnumerable<(string Name, string Command, string[] Arguments, int Concurrency)> stages, int throttle = 1)
        {
            Workspace = new Workspace(Path.Combine(Path.GetTempPath(), "bookbatch-bench", Guid.NewGuid().ToString("N").Substring(0, 10)));
            Directory.CreateDirectory(Workspace.Root);
            // The stages publish nothing (an "upload" of sleep reports no URL): no URL is required.
            var json = new StringBuilder("{\"delaySeconds\": 0, \"requireUrl\": false, \"throttleLimit\": " + throttle + ", \"stages\": [");
            json.Append(string.Join(",", stages.Select(s =>
                $"{{\"name\": \"{s.Name}\", \"command\": \"{s.Command}\", \"arguments\": {JsonSerializer.Serialize(s.Arguments)}"
                + (s.Concurrency > 0 ? $", \"concurrency\": {s.Concurrency}}}" : "}"))));
            json.Append("]}");
            File.WriteAllText(Workspace.SettingsPath, json.ToString());
            Settings = PipelineSettings.Load(Workspace.SettingsPath, Workspace.Root);
        }

        // Stages run as the cmdlets run them: watched by a stage watchdog where the system has one (Linux). One for every
        // batch of the program: a host starts its watchdog once a batch, before its first stage, and the figures are of
        // stages, not of that start (which, a .NET program's, would fall into (c)'s next round of 140 no-op stages).
        private static readonly Lazy<StageWatch?> Watch = new(() => Watched(null, () => true));
        private static readonly Lazy<ProcessStageRunner> Processes = new(() => new ProcessStageRunner(Watch.Value));

        /// <summary>Ends the stage watchdog of the program's batches, if one was started.</summary>
        public static void StopWatch()
        {
            if (Watch.IsValueCreated) Watch.Value?.Dispose();
        }

        /// <summary>
        /// The stage watchdog a host of a store whose holds lapse after <paramref name="holdLapse"/> starts (see
        /// BatchRunCmdlet), started now, as a host's is before its first stage: none where the system needs none.
        /// </summary>
        public static StageWatch? Watched(TimeSpan? holdLapse, Func<bool> fresh)
        {
            var watch = StageWatch.ForThisSystem(holdLapse, fresh);
            if (watch?.EnsureStarted() is { } failed) throw new InvalidOperationException(failed);
            return watch;
        }

        public Workspace Workspace { get; }
        public PipelineSettings Settings { get; }

        /// <summary>Runs a batch over the books through the engine, as Invoke-BookBatch does; returns the wall time.</summary>
        public async Task<TimeSpan> RunBatch(IEnumerable<Book> books, int throttle)
        {
            var ledger = new LedgerStore(Workspace).Read();
            var plan = BatchPlan.Create(BatchPlan.NewId(DateTime.Now), ledger, books, Workspace.Root, force: false, (_, _) => { },
                BookHolds.Reader(Workspace, Settings.Stages));
            var options = new BatchOptions { Privacy = "unlisted", Delay = TimeSpan.Zero, ThrottleLimit = throttle };
            using var journal = BatchJournal.Create(Workspace, plan.Id);
            using var coordination = WorkspaceStore.Open(Workspace);
            var runner = new BatchRunner(Workspace, coordination, Settings, options, plan, _ => Processes.Value, new SilentObserver(), journal);
            var clock = Stopwatch.StartNew();
            var results = await runner.RunAsync(CancellationToken.None);
            clock.Stop();
            var failed = results.Count(r => r.Outcome != BookOutcome.Success);
            if (failed > 0) throw new InvalidOperationException($"{failed} book(s) did not succeed: {(results.First(r => r.Outcome != BookOutcome.Success) is var r ? r.Error ?? r.Reason : null)}");
            return clock.Elapsed;
        }

        public void Dispose()
        {
            try { Directory.Delete(Workspace.Root, recursive: true); } catch (IOException) { }
        }
    }

    internal sealed class SilentObserver : IBatchObserver
    {
        public void BookStarted(PlannedBook book, string runFolder, string? note) { }
        public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt) { }
        public void BookWaiting(PlannedBook book, BookWait wait) { }
        public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome) { }
        public void BookFinished(BookBatchResult result) { }
        public void Note(string message) { }
        public void BookError(PlannedBook book, Exception error) { }
        public void Warning(string message) { }
        public void NotificationEnded(NotificationOutcome outcome) { }
    }

    internal static class Report
    {
        public static void Figure(string name, double ratio, string target, string detail) =>
            Console.WriteLine($"  {name,-58} {ratio,7:0.000}   (target {target}; {detail})");

        public static IEnumerable<Book> Books(int count, string prefix = "Book") =>
            Enumerable.Range(1, count).Select(i => new Book($"{prefix} {i}", "Author " + (i % 97)));
    }
}
