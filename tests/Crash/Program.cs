// BookBatch crash test: the promise of docs/ARCHITECTURE.md (each book published at most once, a stage that succeeded
// never run again, the workspace's limits held across its batches, no file left unreadable), tested the way it
// breaks. It starts REAL batches, each in its own pwsh process (the project's PowerShell 7.6.9 .NET tool, run as
// `dotnet <global-packages>/powershell/7.6.9/tools/net10.0/any/unix/pwsh.dll`, so the pid is the real host's and not a
// launcher's), kills them with REAL signals (sent to the host's pid only), runs batches side by side, and COUNTS what
// happened outside the workspace: every stage is a bash script that logs its start and end to <test>/external/starts.log
// and, as upload, each publication to <test>/external/published.log; a watcher polls every logged pid (/proc and
// kill(pid, 0)) so that a stage killed without an end line still gets an end. The farm scenario does the same to
// workers (Start-BookBatchWorker) on a PostgreSQL store, each on a server of its own (a PID namespace), where the
// stages' kernel locks, not pids, witness what ran at once.
//
// Usage (from the repository; Linux, bash on PATH):
//
//   dotnet tool restore                                         # the pinned pwsh 7.6.9
//   dotnet build BookBatch.sln -c Release                       # stages out/BookBatch and builds this program
//   dotnet run --project tests/Crash -c Release --no-build -- small              # every scenario, 2 minutes
//   dotnet run --project tests/Crash -c Release --no-build -- long               # the long run, 12 minutes
//   dotnet run --project tests/Crash -c Release --no-build -- small signals      # one scenario
//
//   (measured on the shared 2-core build machine, 2026-11-30, against the engine of 1f8dab7: small 81-102 s,
//   long 352 s; most of it is the stages' sleeps and pwsh starting, about 0.6-0.9 s a host. With the farm, 2026-12-06,
//   against the engine of 426c3dc: small 113-118 s (the farm 53-59 s of it), long 691 s (the farm 397-413 s))
//
//   dotnet run --project tests/Crash -c Release --no-build -- long farm          # the farm alone
//
//   arguments: small|long [signals|random-kills|side-by-side|rate|farm ...] [options]
//     --seed N       the random kill moments of random-kills and farm (printed at the start; default from the clock)
//     --verify       configure the upload's "verify" command in every scenario (signals included)
//     --no-verify    configure it in none (default: every scenario but signals, which checks Review without it)
//     --keep         keep the test folders when every scenario held too (they are kept whenever one broke)
//     --dir PATH     where the test folders go (default: <temp>/bookbatch-crash/<time>-<size>)
//
// Scenarios (small / long):
//   signals       one book, upload 5 s; the host is killed ~2.5 s into the upload by SIGKILL, SIGTERM and SIGINT
//                 (1 / 3 runs each); the next batch starts at once, and more until the book is Done or in Review (or
//                 60 s pass); no verify. Counts: publications of the book (<= 1), upload starts after a recorded success
//                 (0), uploads started again without verify answering "not published" (0: a cut-off upload goes to
//                 verify or Review), SIGTERM/SIGINT: stage processes alive more than 2 s after their host exited (0),
//                 runs ending Done without a publication (0), runs neither Done nor Review in time (0).
//   random-kills  10 / 30 books at throttle 4, stages 0.3 / 1.5 s, uploads 2.5 / 3 s; SIGKILL at random moments (8 / 100
//                 kills), the next batch at once; then batches until every book is done (verify configured). Counts:
//                 books published twice (0), corrupt files (database.json, its .bak, runs/*/summary.json,
//                 batches/leases/holders/*.json must parse; after every kill and at the end), books not Done (0), Done
//                 without a publication (0), stage starts after the stage's recorded success in its run folder's
//                 bookbatch-run.jsonl (0), uploads started again without verify answering "not published" (0), starts
//                 while the same stage of the same book still ran (0); stray temp files are shown for information.
//   side-by-side  four batches at once (throttle 2 each) over one 8 / 20-book list, render concurrency 1, upload 2:
//                 the most processes of each stage at one instant across all four (<= its limit), every stage of every
//                 book run exactly once, no book published twice, every book Done.
//   rate          upload rate 3 per 3600 s, 6 books a batch, other stages 0 s: two batches in a row, then (a fresh
//                 workspace) two at once: upload starts within the hour (<= 3) each time.
//   farm          (Linux as root, with PostgreSQL's programs (initdb, pg_ctl, psql), unshare and flock: else "not run",
//                 with the reason.) A throwaway PostgreSQL 15 (tests/Postgres/PostgresServer.cs), a workspace on a new
//                 database of it (store.leaseSeconds 3), 5 / 60 books queued with Add-Book; stages 0.5 s, render 3 s at
//                 concurrency 2, upload 4 s at rate 3 per 12 s, verify configured. Three workers (Start-BookBatchWorker
//                 -PollSeconds 1 -ThrottleLimit 4), each on a server of its own: `unshare --pid --fork --mount-proc --uts`,
//                 its own /proc, host name (farm-N, which its stages log) and TMPDIR, the worker a child of a small sh
//                 init that outlives it while the namespace has processes, so that a killed worker's orphaned stages run
//                 on in their server. 10 / 100 kills at random moments 1-2.5 / 1-4 s apart, of a working worker's pid:
//                 SIGKILL (a new worker on a new server at once) or SIGSTOP for the lease + 2 s, then SIGCONT; in moments
//                 of their own, every session of the database ended (pg_terminate_backend, 2 / 4 times) and PostgreSQL
//                 restarted once. Then the workers are sent SIGTERM (they drain) and three with -StopWhenIdle finish the
//                 queue (60 / 240 s at most). Each stage first takes, with flock -n, its book's and stage's lock file
//                 (held by another process: an overlap line) and, for render, the first free of 3 slot files (its
//                 concurrency + 1); the kernel gives both back however the process ends, across namespaces. Counts:
//                 books published twice (0), Done without a publication (0), starts of a book's stage while another
//                 process of it held its lock (0), render processes at one instant by the slots (<= 2), upload starts
//                 surely within 12 s (<= 3: a start is logged up to 3 s after the engine counted it, later after a
//                 freeze or a database event, and a set counts only if it surely fits), books neither Done nor in Review
//                 (0), in Review without a reason (0), kills (>= 10 / 100), and a killed worker's books with a stage
//                 running to their next start (a stage or verify; after a freeze, by the woken worker too): SIGKILL
//                 <= 2 s, SIGSTOP <= lease + 5 s (longest, with the median), where another worker could take the book
//                 (up, not frozen, under its throttle; a render place free, the upload quota not spent; no database
//                 event from 15 s before to the limit after).
//
// A stage process's interval runs from its start line to its end line; one killed without an end line (SIGKILL) ends
// when the watcher last saw it alive (polled every 20 ms), so an overlap is only counted where it surely happened.
//
// Output: a table of counts per scenario, then `crash: N passed, M failed` (scenarios that held / broke), and
// `, K not run` when a scenario found the machine lacking what it needs (it says what): not run is neither passed nor
// failed. Exit code 0 when no scenario broke; 1 when one broke; 2 when the program could not run (setup).
//
// The engine's "verify" setting and the idempotency key (BOOKBATCH_IDEMPOTENCY_KEY) may be missing: probe batches
// find out first. A bookbatch.json with "verify" refused as BookBatchSettingsInvalid is reported as "engine lacks
// verify" and the scenarios run without it; a second probe with a made-up key tells whether the engine refuses unknown
// keys at all (if not, taking "verify" proves nothing, and the verify calls each scenario counts tell). A key not
// given makes verify.sh look publications up by title.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Crash
{
    public static class Program
    {
        public static async Task<int> Main(string[] args)
        {
            var positional = new List<string>();
            int? seed = null;
            bool? verify = null;
            var keep = false;
            string? baseDir = null;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                        seed = s; i++; break;
                    case "--verify": verify = true; break;
                    case "--no-verify": verify = false; break;
                    case "--keep": keep = true; break;
                    case "--dir" when i + 1 < args.Length: baseDir = args[++i]; break;
                    default:
                        if (args[i].StartsWith("--", StringComparison.Ordinal)) return Usage($"unknown option '{args[i]}'");
                        positional.Add(args[i]);
                        break;
                }
            }
            if (positional.Count == 0 || (positional[0] != "small" && positional[0] != "long")) return Usage("the first argument is small or long");
            var chosen = positional.Skip(1).ToList();
            var names = Scenarios.All.Select(s => s.Name).ToList();
            foreach (var name in chosen)
                if (!names.Contains(name)) return Usage($"unknown scenario '{name}'");
            // The farm (three workers on PostgreSQL, 1-7 minutes) is a command of its own: `small farm` / `long farm`.
            if (chosen.Count == 0) chosen = names.Where(n => n != "farm").ToList();
            var isLong = positional[0] == "long";

            if (OperatingSystem.IsWindows())
                Console.WriteLine("note: on Windows only SIGKILL has an equivalent (a forced end); SIGTERM and SIGINT runs report the signal as not sent.");

            Console.CancelKeyPress += (_, _) => BatchHost.KillAll();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => BatchHost.KillAll();

            Paths paths;
            try { paths = Paths.Find(); }
            catch (SetupException e)
            {
                Console.Error.WriteLine("crash: cannot run: " + e.Message);
                return 2;
            }
            seed ??= Environment.TickCount & 0x7fffffff;
            baseDir ??= Path.Combine(Path.GetTempPath(), "bookbatch-crash", $"{DateTime.Now:yyyyMMdd-HHmmss}-{positional[0]}");
            Directory.CreateDirectory(baseDir);
            var context = new Context
            {
                Paths = paths, BaseDir = baseDir, Long = isLong, Seed = seed.Value, Random = new Random(seed.Value), VerifyOverride = verify,
            };

            var total = Stopwatch.StartNew();
            Console.WriteLine($"BookBatch crash test ({positional[0]}), {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            Console.WriteLine($"  module {paths.Module}");
            Console.WriteLine($"  pwsh {paths.PwshVersion}: {paths.Dotnet} {paths.PwshDll}");
            Console.WriteLine($"  test folders {baseDir}; seed {seed}");
            try
            {
                await Scenarios.Probe(context);
            }
            catch (SetupException e)
            {
                Console.Error.WriteLine("crash: cannot run: " + e.Message);
                BatchHost.KillAll();
                return 2;
            }
            Console.WriteLine(!context.VerifyAccepted
                ? $"  engine lacks verify: \"verify\" refused ({context.VerifyRefusal}); scenarios run without it"
                : context.UnknownKeyRefused
                    ? "  engine: takes the upload's \"verify\" setting and refuses unknown keys (so it knows verify)"
                    : "  engine: does not refuse unknown keys in bookbatch.json, so taking \"verify\" proves nothing: the verify calls are counted below");
            Console.WriteLine(context.KeyGiven
                ? "  engine: gives stages BOOKBATCH_IDEMPOTENCY_KEY"
                : "  engine: gives stages no BOOKBATCH_IDEMPOTENCY_KEY (verify.sh looks publications up by title)");

            var reports = new List<Report>();
            foreach (var name in chosen)
            {
                var watch = Stopwatch.StartNew();
                Report report;
                try
                {
                    report = await Scenarios.All.First(s => s.Name == name).Run(context);
                }
                catch (Exception e) when (e is SetupException or IOException or InvalidOperationException or System.Text.Json.JsonException)
                {
                    report = new Report(name, "could not be measured") { Error = e.Message };
                }
                BatchHost.KillAll();
                report.Duration = watch.Elapsed;
                report.Folder ??= baseDir;
                report.Print();
                reports.Add(report);
            }

            Console.WriteLine();
            Console.WriteLine("== summary");
            var rows = new List<string[]> { new[] { "scenario", "result", "broken figures" } };
            foreach (var r in reports)
                rows.Add(new[]
                {
                    r.Name, r.NotRun != null ? "not run" : r.Held ? "held" : "BROKEN",
                    r.NotRun ?? (r.Error != null ? "error: " + r.Error : string.Join("; ", r.Broken.Select(f => $"{f.Name}: {f.Measured} (limit {f.Limit})"))),
                });
            Console.Write(Report.Table(rows, "  "));
            Console.WriteLine($"  total {total.Elapsed.TotalSeconds:0} s");
            if (!keep && !reports.Any(r => r.Failed))
            {
                try { Directory.Delete(baseDir, recursive: true); }
                catch (IOException) { }
            }
            else Console.WriteLine($"  test folders kept in {baseDir}");
            var passed = reports.Count(r => r.Held);
            var failed = reports.Count(r => r.Failed);
            var notRun = reports.Count - passed - failed;
            Console.WriteLine($"crash: {passed} passed, {failed} failed{(notRun > 0 ? $", {notRun} not run" : "")}");
            return failed == 0 ? 0 : 1;
        }

        private static int Usage(string problem)
        {
            Console.Error.WriteLine($"crash: {problem}");
            Console.Error.WriteLine("usage: dotnet run --project tests/Crash -c Release -- small|long " +
                $"[{string.Join("|", Scenarios.All.Select(s => s.Name))} ...] [--seed N] [--verify|--no-verify] [--keep] [--dir PATH]");
            return 2;
        }
    }
}
