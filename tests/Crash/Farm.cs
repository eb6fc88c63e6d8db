using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using BookBatch.Postgres.Tests;

namespace BookBatch.Crash
{
    internal static partial class Scenarios
    {
        /// <summary>
        /// Three workers on one PostgreSQL store, each on a server of its own (<see cref="FarmWorker"/>), killed at random:
        /// SIGKILL (restarted at once on a new server), SIGSTOP past the lease and resumed, or its server's network cut past
        /// the lease and mended (each server has a network namespace of its own; the database is on a service address of
        /// this machine's, reached over each server's link); every worker's sessions
        /// ended now and then, PostgreSQL restarted once. Then workers that stop when idle finish the queue. Counted from
        /// what the stages logged and took outside the workspace: publications, kernel locks, starts.
        /// </summary>
        public static async Task<Report> Farm(Context c)
        {
            var plan = FarmPlan.For(c.Long);
            var report = new Report("farm",
                $"{plan.Books} books, {FarmPlan.Workers} workers (throttle {FarmPlan.Throttle}) each in a PID and a network namespace of its own, lease {FarmPlan.LeaseSeconds} s; " +
                $"render {FarmPlan.RenderSeconds} s at concurrency {FarmPlan.RenderLimit}, upload {FarmPlan.UploadSeconds} s at rate {FarmPlan.UploadStarts} per {FarmPlan.UploadWindowSeconds} s; " +
                $"{plan.Kills} kills {plan.MinDelay}-{plan.MaxDelay} s apart (SIGKILL, SIGSTOP {FarmPlan.FreezeSeconds} s, or network cut {FarmPlan.FreezeSeconds} s), every session ended {plan.Terminations.Length} times, " +
                $"PostgreSQL restarted once; seed {c.Seed}");
            if (FarmRun.Missing() is { } missing)
            {
                report.NotRun = missing;
                return report;
            }
            var dir = c.NewDir("farm");
            report.Folder = dir.Root;
            using var service = NetworkNamespace.ServiceAddress(FarmRun.DatabaseAddress);
            using var server = PostgresServer.AlsoOn(FarmRun.DatabaseAddress, "10.213.0.0/16", FarmRun.DatabaseAddress + "/32");
            ConsoleCancelEventHandler cancel = (_, _) =>
            {
                FarmWorker.EndAll();
                server.Dispose();
            };
            Console.CancelKeyPress += cancel;
            var run = new FarmRun(c, dir, server, plan, report);
            List<FarmBook> status;
            List<FreeTime> free;
            try
            {
                var titles = Enumerable.Range(1, plan.Books).Select(i => $"Farm Book {i:000}").ToList();
                run.SetUp(titles);
                await run.KillAsync();
                await run.FinishAsync();
                status = run.Status();
                free = await run.Free.AllAsync();
            }
            finally
            {
                FarmWorker.EndAll();
                Console.CancelKeyPress -= cancel;
            }
            CountFarm(report, dir, run, status, free);
            return report;
        }

        private static void CountFarm(Report report, TestDir dir, FarmRun run, List<FarmBook> status, List<FreeTime> free)
        {
            var lines = StageLine.Read(dir.StartsLog);
            var publications = PidWatcher.ReadPublications(dir.PublishedLog);
            var published = publications.Select(p => p.Title).ToHashSet(StringComparer.Ordinal);
            var overlaps = lines.Where(l => l.Kind == 'O').ToList();
            // A render that found every slot up to its limit taken ran with that many others: slot 0 (none free) is one more.
            var renderSlots = lines.Where(l => l.Kind == 'C' && l.Stage == "render")
                .Select(l => int.Parse(l.Detail, CultureInfo.InvariantCulture)).Select(n => n == 0 ? FarmPlan.RenderLimit + 2 : n).ToList();
            var events = run.Events;
            var kills = events.Count(e => e.Kind == FarmEvent.Kill);
            var freezes = events.Count(e => e.Kind == FarmEvent.Freeze);
            var cuts = events.Count(e => e.Kind == FarmEvent.Cut);
            var lease = FarmPlan.LeaseSeconds * 1000L;
            var afterKill = FarmMeasures.ToBooksFree(FarmEvent.Kill, 0, FarmPlan.KillFreeMs, lines, events, run.Workers);
            var afterFreeze = FarmMeasures.ToBooksFree(FarmEvent.Freeze, lease, lease + FarmPlan.FreezeFreeMarginMs, lines, events, run.Workers);
            var afterCut = FarmMeasures.ToBooksFree(FarmEvent.Cut, lease, lease + FarmPlan.FreezeFreeMarginMs, lines, events, run.Workers);
            var unfinished = status.Where(b => !b.Done && !b.Review).ToList();

            report.AtMost("books published twice", Measures.PublishedTwice(publications), 0);
            report.AtMost("books Done without a publication", status.Count(b => b.Done && !published.Contains(b.Title)), 0);
            report.AtMost("starts of a book's stage while another process of it ran (its lock was held)", overlaps.Count, 0);
            report.AtMost($"render processes at one instant (most, by their slot locks), limit {FarmPlan.RenderLimit}", renderSlots.DefaultIfEmpty(0).Max(), FarmPlan.RenderLimit);
            report.AtMost($"upload starts surely within {FarmPlan.UploadWindowSeconds} s (its rate)",
                FarmMeasures.MostUploadsInWindow(lines, events, FarmPlan.UploadWindowSeconds * 1000L, FarmPlan.JitterMs), FarmPlan.UploadStarts);
            report.AtMost("books neither Done nor in Review at the end", unfinished.Count, 0);
            report.AtMost("books in Review without a reason", status.Count(b => b.Review && b.Reason.Length == 0), 0);
            report.LongestAtMost("dead worker to books free, SIGKILL (every book it held: claim released, its running stage recorded over)",
                FarmMeasures.FreeTimes(free, FarmEvent.Kill, events), FarmPlan.KillFreeMs);
            report.LongestAtMost("frozen worker to books free, SIGSTOP past the lease (the same)", FarmMeasures.FreeTimes(free, FarmEvent.Freeze, events), lease + FarmPlan.FreezeFreeMarginMs);
            report.LongestAtMost("cut-off worker to books free, network cut past the lease (the same)", FarmMeasures.FreeTimes(free, FarmEvent.Cut, events), lease + FarmPlan.FreezeFreeMarginMs);
            report.Info("books not seen free within a minute of their worker's death, freeze or cut", free.Count(f => f.Ms is null));
            report.Info("the same, books with a stage running at the event (free once it is recorded over)",
                $"SIGKILL {FarmMeasures.Spread(FarmMeasures.FreeTimes(free.Where(f => f.StageRunning).ToList(), FarmEvent.Kill, events))}; " +
                $"SIGSTOP {FarmMeasures.Spread(FarmMeasures.FreeTimes(free.Where(f => f.StageRunning).ToList(), FarmEvent.Freeze, events))}; " +
                $"cut {FarmMeasures.Spread(FarmMeasures.FreeTimes(free.Where(f => f.StageRunning).ToList(), FarmEvent.Cut, events))}");
            report.Info("the same books to their next start by a worker (its feed's look, room in its throttle, a render place, the upload quota)",
                $"SIGKILL {afterKill.Started}; SIGSTOP {afterFreeze.Started}; cut {afterCut.Started}");
            report.AtLeast("worker kills (SIGKILL, SIGSTOP, network cut)", kills + freezes + cuts, run.Plan.Kills);
            report.Info("SIGKILL / SIGSTOP / network cuts / sessions ended / PostgreSQL restarts",
                $"{kills} / {freezes} / {cuts} / {events.Count(e => e.Kind == FarmEvent.Terminate)} / {events.Count(e => e.Kind == FarmEvent.Restart)}");
            report.Info("servers (workers started)", run.Workers.Count);
            report.Info("books Done / in Review", $"{status.Count(b => b.Done)} / {status.Count(b => b.Review)}");
            report.Info("stage starts / upload starts / publications / verify calls",
                $"{lines.Count(l => l.Kind == 'S')} / {lines.Count(l => l.Kind == 'S' && l.Stage == "upload")} / {publications.Count} / {lines.Count(l => l.Kind == 'V')}");
            report.Info("the same for books at stages without a place limit or quota (not render, not upload)",
                $"SIGKILL {afterKill.Unlimited}; SIGSTOP {afterFreeze.Unlimited}; cut {afterCut.Unlimited}");
            report.Info("running books not measured: no worker able / stage full (render places, upload quota) / database away / never again",
                $"SIGKILL {afterKill}; SIGSTOP {afterFreeze}; cut {afterCut}");
            if (overlaps.Count > 0)
                report.Notes.Add("starts while the book's stage was locked, by stage: " + string.Join(", ", overlaps.GroupBy(l => l.Stage).Select(g => $"{g.Key} {g.Count()}")));
            foreach (var b in unfinished.Take(5)) report.Notes.Add($"not finished: {b.Title}: {b.Status}, {b.Action} {b.Reason}");
        }
    }

    /// <summary>A book as Get-BookStatus showed it at the farm's end, with what holds it or sent it to Review.</summary>
    internal sealed record FarmBook(string Title, string Status, string Action, string Reason)
    {
        public bool Done => Status.Equals("Done", StringComparison.OrdinalIgnoreCase);
        public bool Review => Action.Equals("Review", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The farm's numbers: the same pipeline small and long; the long run has more books and kills.</summary>
    internal sealed record FarmPlan(int Books, int Kills, double MinDelay, double MaxDelay, int[] Terminations, int RestartAt, TimeSpan KillLimit, TimeSpan FinishLimit)
    {
        public const int Workers = 3, Throttle = 4, LeaseSeconds = 3, RenderLimit = 2;
        // Render and upload last longer than another worker takes to pick a killed one's book up (a poll, a round's
        // start, verify), so that a stage left running by a killed worker is still running when it is started again.
        public const double StageSeconds = 0.5, RenderSeconds = 3, UploadSeconds = 4;
        // A quota per few seconds, not per hour: a book beyond an hour's quota waits the hour, neither Done nor in
        // Review, and the run could not end with every book through. Renders can feed uploads almost twice as fast as
        // this rate allows, so the quota is reached again and again, and an engine that ignored it would show at once.
        public const int UploadStarts = 3, UploadWindowSeconds = 12;
        // A freeze lasts past the lease, so that the server ends the frozen worker's sessions and its books come free.
        public const int FreezeSeconds = LeaseSeconds + 2;
        // The targets: a killed worker's books are free once PostgreSQL sees its connection close, a frozen one's after
        // the lease; either way another worker should start them within this much more.
        public const long KillFreeMs = 2000, FreezeFreeMarginMs = 5000;
        // How long after the engine counts an upload in its rate window its process may log its start: the attempt is
        // recorded, a process started, bash started, locks taken. Measured on the loaded 2-core machine: 11-280 ms from
        // the attempt's record to the log line, but once 2.3 s from the count, while the worker's other calls to the
        // database waited.
        public const long JitterMs = 3000;
        // A worker that lost its sessions fails its next looks and backs off (2 s, then 4 s, then 8 s): a killed worker's
        // books are not measured while the database's events still slow the others.
        public const long DatabaseAftermathMs = 15000;

        /// <summary>The longest a stage's process can run: its sleep and a second; past that it surely ended.</summary>
        public static long LongestMs(string stage) =>
            (long)(1000 * (stage switch { "render" => RenderSeconds, "upload" => UploadSeconds, _ => StageSeconds })) + 1000;

        public static FarmPlan For(bool isLong) => isLong
            ? new FarmPlan(60, 100, 1.0, 4.0, new[] { 15, 35, 65, 85 }, 50, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(240))
            : new FarmPlan(5, 10, 1.0, 2.5, new[] { 7, 9 }, 5, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));
    }

    /// <summary>One run of the farm: its database, its servers and what was done to them.</summary>
    internal sealed class FarmRun
    {
        private const string PasswordVariable = "BOOKBATCH_FARM_PGPASSWORD";

        /// <summary>The database's address, on this machine: every server reaches it over its own link, which can be cut.</summary>
        public const string DatabaseAddress = "10.214.0.1";
        private readonly Context _c;
        private readonly TestDir _dir;
        private readonly PostgresServer _server;
        private readonly Report _report;
        private readonly string _database;
        private readonly Dictionary<string, string> _environment;
        private readonly List<FarmWorker> _workers = new();
        private readonly List<FarmEvent> _events = new();
        private FarmWorker[] _current = Array.Empty<FarmWorker>();

        public FarmRun(Context c, TestDir dir, PostgresServer server, FarmPlan plan, Report report)
        {
            _c = c;
            _dir = dir;
            _server = server;
            Plan = plan;
            _report = report;
            _database = server.NewDatabase();
            Free = new FreeWatch(server.ConnectionString(_database), dir.Workspace, Path.Combine(dir.Hosts, "free.log"));
            _environment = new Dictionary<string, string>
            {
                [PasswordVariable] = server.Password,
                ["PGPASSFILE"] = Path.Combine(dir.Root, "no-pgpass"),
            };
        }

        public FarmPlan Plan { get; }

        /// <summary>Times each killed, frozen or cut-off worker's books to their coming free on the store.</summary>
        public FreeWatch Free { get; }

        /// <summary>Every worker started, on every server.</summary>
        public List<FarmWorker> Workers { get { lock (_workers) return _workers.ToList(); } }

        public List<FarmEvent> Events { get { lock (_events) return _events.ToList(); } }

        /// <summary>
        /// Why the farm cannot run here, or null: it needs Linux, a PostgreSQL server's programs, and PID namespaces
        /// (unshare as root), flock and psql.
        /// </summary>
        public static string? Missing()
        {
            if (!OperatingSystem.IsLinux()) return "needs Linux (PID namespaces)";
            if (NetworkNamespace.Unavailable is { } network) return network;
            var bin = PostgresServer.FindBin();
            if (bin is null) return "no PostgreSQL server found (/usr/lib/postgresql/<version>/bin; apt-get install postgresql)";
            if (!File.Exists(Path.Combine(bin, "psql"))) return $"no psql in {bin}";
            foreach (var (file, args) in new[] { ("flock", new[] { "--version" }), ("unshare", new[] { "--pid", "--fork", "--mount-proc", "--uts", "true" }) })
            {
                var (code, output) = Run(file, args, TimeSpan.FromSeconds(20));
                if (code != 0) return $"{file} {string.Join(' ', args)} failed here ({output.Trim()}): the farm needs util-linux and, for PID namespaces, root";
            }
            return null;
        }

        /// <summary>
        /// The workspace on a new database: bookbatch.json names the store (lease <see cref="FarmPlan.LeaseSeconds"/> s),
        /// the schema is made, the books added; the stages take their kernel locks (external/locks/, slots/render).
        /// </summary>
        public void SetUp(List<string> titles)
        {
            var spec = new PipelineSpec { Verify = _c.Verify(true, _report), UploadRate = (FarmPlan.UploadStarts, FarmPlan.UploadWindowSeconds) }
                .Seconds(FarmPlan.StageSeconds, FarmPlan.UploadSeconds);
            spec.Sleep["render"] = FarmPlan.RenderSeconds;
            spec.Concurrency["render"] = FarmPlan.RenderLimit;
            _dir.WriteSettings(spec);
            var settings = JsonNode.Parse(File.ReadAllText(_dir.Settings))!.AsObject();
            settings["store"] = new JsonObject
            {
                ["kind"] = "postgres", ["host"] = DatabaseAddress, ["port"] = _server.Port, ["database"] = _database,
                ["userName"] = PostgresServer.UserName, ["passwordVariable"] = PasswordVariable, ["leaseSeconds"] = FarmPlan.LeaseSeconds,
            };
            File.WriteAllText(_dir.Settings, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Directory.CreateDirectory(Path.Combine(_dir.External, "locks"));
            var slots = Path.Combine(_dir.Root, "slots");
            Directory.CreateDirectory(slots);
            // One slot more than the limit: a render that finds the limit's slots taken takes the next, and shows it.
            File.WriteAllText(Path.Combine(slots, "render"), (FarmPlan.RenderLimit + 1).ToString(CultureInfo.InvariantCulture) + "\n");
            var list = _dir.WriteList("books.txt", titles);
            Pwsh($"Update-BookBatchStore -Confirm:$false | Out-Null; Get-Content -LiteralPath '{list.Replace("'", "''")}' | Add-Book -Confirm:$false | Out-Null");
        }

        /// <summary>
        /// Three workers, then kills at random moments: SIGKILL (a new worker on a new server at once) or SIGSTOP for
        /// the lease and 2 s (then SIGCONT); after some kills every worker's sessions are ended, after one PostgreSQL
        /// restarts.
        /// </summary>
        public async Task KillAsync()
        {
            _current = Enumerable.Range(0, FarmPlan.Workers).Select(_ => NewWorker(stopWhenIdle: false)).ToArray();
            foreach (var w in _current)
                if (!await w.UpAsync(TimeSpan.FromSeconds(90))) throw new SetupException($"worker {w.Server} did not start in 90 s (see {_dir.Hosts})");
            var thaws = new List<Task>();
            var watch = Stopwatch.StartNew();
            var kills = 0;
            string? databaseDue = null;
            while (kills < Plan.Kills && watch.Elapsed < Plan.KillLimit)
            {
                await Task.Delay(TimeSpan.FromSeconds(Plan.MinDelay + _c.Random.NextDouble() * (Plan.MaxDelay - Plan.MinDelay)));
                ReplaceEnded();
                // A database event takes a moment of its own, not a kill's: the time a kill frees its books in is then
                // the worker's alone more often.
                if (databaseDue == FarmEvent.Terminate) EndSessions();
                else if (databaseDue == FarmEvent.Restart) await RestartDatabaseAsync();
                if (databaseDue != null)
                {
                    databaseDue = null;
                    continue;
                }
                if (await VictimAsync(watch) is not { } victim) break;
                switch (_c.Random.Next(3))
                {
                    case 0: Kill(victim); break;
                    case 1: thaws.Add(FreezeAsync(victim)); break;
                    default: thaws.Add(CutAsync(victim)); break;
                }
                kills++;
                databaseDue = kills == Plan.RestartAt ? FarmEvent.Restart : Plan.Terminations.Contains(kills) ? FarmEvent.Terminate : null;
            }
            if (kills < Plan.Kills) _report.Notes.Add($"only {kills} of {Plan.Kills} kills in {Plan.KillLimit.TotalSeconds:0} s (no worker was working to kill)");
            await Task.WhenAll(thaws);
        }

        // A working worker at random; when every one is frozen or starting, the first to work (a killed one's successor is
        // up in a few seconds). Null when the kills' time ran out meanwhile.
        private async Task<FarmWorker?> VictimAsync(Stopwatch watch)
        {
            while (watch.Elapsed < Plan.KillLimit)
            {
                var working = _current.Where(w => w.Working && w.WorkerAlive).ToList();
                if (working.Count > 0) return working[_c.Random.Next(working.Count)];
                await Task.Delay(100);
            }
            return null;
        }

        private FarmWorker NewWorker(bool stopWhenIdle)
        {
            lock (_workers)
            {
                // A /30 of its own: servers alive at once never share one (a run starts about 60).
                var network = new NetworkNamespace(subnet: _workers.Count % 250 + 1);
                var worker = FarmWorker.Start(_c.Paths, $"farm-{_workers.Count + 1}", _dir.Workspace, _dir.Hosts, _environment,
                    $"-PollSeconds 1 -ThrottleLimit {FarmPlan.Throttle}{(stopWhenIdle ? " -StopWhenIdle" : "")}", network);
                _workers.Add(worker);
                return worker;
            }
        }

        // Kept in memory for the figures, and in events.log beside the servers' logs for whoever reads them.
        private void Event(string kind, string? server, long ms, long endMs)
        {
            lock (_events)
            {
                _events.Add(new FarmEvent(kind, server, ms, endMs));
                File.AppendAllText(Path.Combine(_dir.Hosts, "events.log"), $"{ms}\t{endMs}\t{kind}\t{server ?? "-"}\n");
            }
        }

        // A worker that ended by itself is replaced (and said): the farm keeps its three.
        private void ReplaceEnded()
        {
            for (var i = 0; i < _current.Length; i++)
            {
                var w = _current[i];
                if (w.UpMs is null || w.DownMs != null || w.WorkerAlive) continue;
                w.Gone();
                _report.Notes.Add($"worker {w.Server} ended by itself during the kills (see its log in {_dir.Hosts}); replaced");
                _current[i] = NewWorker(stopWhenIdle: false);
            }
        }

        private void Kill(FarmWorker victim)
        {
            var held = Free.HeldBy(victim.Server);
            if (!victim.Signal(Os.SIGKILL)) return;
            var now = Clock.Now;
            Free.Watch(FarmEvent.Kill, now, held);
            Event(FarmEvent.Kill, victim.Server, now, now);
            _current[Array.IndexOf(_current, victim)] = NewWorker(stopWhenIdle: false);
        }

        private async Task FreezeAsync(FarmWorker victim)
        {
            var held = Free.HeldBy(victim.Server);
            if (!victim.Signal(Os.SIGSTOP)) return;
            var stopped = Clock.Now;
            Free.Watch(FarmEvent.Freeze, stopped, held);
            await Task.Delay(TimeSpan.FromSeconds(FarmPlan.FreezeSeconds));
            victim.Signal(Os.SIGCONT);
            Event(FarmEvent.Freeze, victim.Server, stopped, Clock.Now);
        }

        // The server's network down for as long as a freeze lasts: no packet goes out or comes in, and nobody is told.
        private async Task CutAsync(FarmWorker victim)
        {
            var held = Free.HeldBy(victim.Server);
            var cut = Clock.Now;
            if (!victim.Cut(down: true)) return;
            Free.Watch(FarmEvent.Cut, cut, held);
            await Task.Delay(TimeSpan.FromSeconds(FarmPlan.FreezeSeconds));
            victim.Cut(down: false);
            Event(FarmEvent.Cut, victim.Server, cut, Clock.Now);
        }

        // Every session of the farm's database ended by the server, as a failover or an operator's pg_terminate_backend does.
        private void EndSessions()
        {
            var now = Clock.Now;
            var (code, output) = Run(Path.Combine(PostgresServer.FindBin()!, "psql"), new[]
            {
                "-X", "-At", "-h", "127.0.0.1", "-p", _server.Port.ToString(CultureInfo.InvariantCulture), "-U", PostgresServer.UserName, "-d", _database, "-c",
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            }, TimeSpan.FromSeconds(30), ("PGPASSWORD", _server.Password));
            if (code != 0) throw new SetupException("psql could not end the workers' sessions: " + output.Trim());
            Event(FarmEvent.Terminate, null, now, Clock.Now);
        }

        private async Task RestartDatabaseAsync()
        {
            var began = Clock.Now;
            await Task.Run(_server.Restart);
            Event(FarmEvent.Restart, null, began, Clock.Now);
        }

        /// <summary>
        /// No more kills: the workers are stopped gently (SIGTERM: they drain, their stages end), then three that stop
        /// when nothing is owed finish the queue (started after the drain, or they could find every book still held and
        /// stop at once); then every server ends once its worker and its orphans have (or is ended after a wait).
        /// </summary>
        public async Task FinishAsync()
        {
            foreach (var w in _current)
                if (await w.UpAsync(TimeSpan.FromSeconds(90))) w.Signal(Os.SIGTERM);
            var drain = Stopwatch.StartNew();
            while (_current.Any(w => w.WorkerAlive) && drain.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(100);
            var finishers = Enumerable.Range(0, FarmPlan.Workers).Select(_ => NewWorker(stopWhenIdle: true)).ToList();
            var finished = Task.WhenAll(finishers.Select(w => w.EndedTask));
            if (await Task.WhenAny(finished, Task.Delay(Plan.FinishLimit)) != finished)
                _report.Notes.Add($"the workers that stop when idle still ran after {Plan.FinishLimit.TotalSeconds:0} s: the queue was not finished");
            var all = Task.WhenAll(Workers.Select(w => w.EndedTask));
            if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all)
                _report.Notes.Add("servers still running at the end, ended with everything in them: " + string.Join(", ", Workers.Where(w => !w.Ended).Select(w => w.Server)));
        }

        /// <summary>Get-BookStatus of every book at the end.</summary>
        public List<FarmBook> Status() =>
            Pwsh("Get-BookStatus | ForEach-Object { \"book`t{0}`t{1}`t{2}`t{3}\" -f $_.Title, $_.Status, $_.Action, " +
                 "((@($_.HoldReason, $_.LastError, $_.ReviewStage) | Where-Object { $_ } | Select-Object -First 1) -replace '\\s+', ' ') }")
                .Where(l => l.StartsWith("book\t", StringComparison.Ordinal)).Select(l => l.Split('\t'))
                .Select(f => new FarmBook(f[1], f[2], f[3], f.Length > 4 ? f[4] : "")).ToList();

        // A command in the workspace, in the project's pwsh with the staged module; its output lines.
        private List<string> Pwsh(string command)
        {
            var script = $"$ErrorActionPreference = 'Stop'; Import-Module '{_c.Paths.Module.Replace("'", "''")}'; " +
                         $"Set-Location -LiteralPath '{_dir.Workspace.Replace("'", "''")}'; {command}";
            var (code, output) = Run(_c.Paths.Dotnet, new[] { _c.Paths.PwshDll, "-NoProfile", "-NonInteractive", "-Command", script },
                TimeSpan.FromSeconds(120), _environment.Select(p => (p.Key, p.Value)).ToArray());
            if (code != 0) throw new SetupException($"pwsh failed (exit {code}): {command}: {output.Trim()}");
            return output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        }

        // Runs a program to its end: its exit code (-1 when it could not start or did not end in time) and its output.
        private static (int Code, string Output) Run(string file, string[] args, TimeSpan timeout, params (string Name, string Value)[] environment)
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            try
            {
                using var process = Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEndAsync();
                if (!process.WaitForExit(timeout))
                {
                    process.Kill(entireProcessTree: true);
                    return (-1, $"did not end in {timeout.TotalSeconds:0} s");
                }
                return (process.ExitCode, output.Result + error.Result);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                return (-1, e.Message);
            }
        }
    }
}
