using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace BookBatch.Crash
{
    /// <summary>What every scenario shares: where things are, the size, the random source, what the engine accepts.</summary>
    internal sealed class Context
    {
        public required Paths Paths { get; init; }
        public required string BaseDir { get; init; }
        public required bool Long { get; init; }
        public required int Seed { get; init; }
        public required Random Random { get; init; }
        /// <summary>null: each scenario's own choice; true/false: forced by --verify / --no-verify.</summary>
        public bool? VerifyOverride { get; init; }
        public bool VerifyAccepted { get; set; } = true;
        public string? VerifyRefusal { get; set; }
        public bool KeyGiven { get; set; }
        public bool UnknownKeyRefused { get; set; }

        public TestDir NewDir(string name) => new(Path.Combine(BaseDir, name));

        /// <summary>Whether a scenario configures verify: its own wish (or the override), if the engine takes the setting.</summary>
        public bool Verify(bool wanted, Report report)
        {
            var want = VerifyOverride ?? wanted;
            if (want && !VerifyAccepted)
            {
                report.Notes.Add($"engine lacks verify: bookbatch.json with \"verify\" is refused ({VerifyRefusal}); this scenario runs without it");
                return false;
            }
            return want;
        }
    }

    /// <summary>The scenarios of the crash test; each returns a report of counts against the promise's limits.</summary>
    internal static partial class Scenarios
    {
        /// <summary>The scenarios, in the order a whole run takes them.</summary>
        public static readonly (string Name, Func<Context, Task<Report>> Run)[] All =
        {
            ("signals", Signals),
            ("random-kills", RandomKills),
            ("side-by-side", SideBySide),
            ("rate", Rate),
            ("farm", Farm),
        };

        /// <summary>
        /// One book through every stage, up to three times: with verify configured (refused with BookBatchSettingsInvalid:
        /// the engine lacks verify), with a key no engine knows (refused: the engine checks its keys, so one that takes
        /// "verify" knows it), and without either when verify was refused. Also finds out whether stages get an
        /// idempotency key, and proves that the hosts work at all.
        /// </summary>
        public static async Task Probe(Context c)
        {
            var withVerify = await ProbeBatch(c, "probe-verify", new PipelineSpec { Verify = true });
            if (withVerify.Refusal != null)
            {
                c.VerifyAccepted = false;
                c.VerifyRefusal = withVerify.Refusal;
            }
            var unknown = await ProbeBatch(c, "probe-unknown-key", new PipelineSpec { UnknownKey = true });
            c.UnknownKeyRefused = unknown.Refusal != null;
            var working = withVerify.Refusal is null ? withVerify : unknown.Refusal is null ? unknown : await ProbeBatch(c, "probe-plain", new PipelineSpec());
            if (working.Refusal != null) throw new SetupException("the probe batch's settings were refused: " + working.Refusal);
            c.KeyGiven = working.KeyGiven;
        }

        private static async Task<(string? Refusal, bool KeyGiven)> ProbeBatch(Context c, string name, PipelineSpec spec)
        {
            var dir = c.NewDir(name);
            dir.WriteSettings(spec);
            var list = dir.WriteList("books.txt", new[] { "Probe Book" });
            using var watcher = new PidWatcher(dir.StartsLog);
            var host = BatchHost.Start(c.Paths, dir, list, 1);
            await host.GoAsync();
            if (!await host.WaitAsync(TimeSpan.FromSeconds(120)))
            {
                host.Signal(Os.SIGKILL);
                throw new SetupException($"the probe batch did not end in 120 s (see {dir.Hosts})");
            }
            if (host.ExitCode == 3 || (host.Terminating?.Contains("BookBatchSettingsInvalid", StringComparison.Ordinal) ?? false))
                return ((host.Terminating ?? "BookBatchSettingsInvalid").Replace('\t', ' '), false);
            if (host.ExitCode != 0 || host.Terminating != null)
                throw new SetupException($"the probe batch failed (exit {host.ExitCode}): {string.Join(" | ", host.Lines.TakeLast(6))}");
            var processes = watcher.Processes;
            if (!processes.Any(p => p.Stage == "upload"))
                throw new SetupException($"the probe batch ran no upload: {string.Join(" | ", host.Lines.TakeLast(6))}");
            watcher.WaitAllGone(TimeSpan.FromSeconds(10));
            return (null, processes.Any(p => p.Key != "-"));
        }

        /// <summary>
        /// After a scenario: every host ended, every stage process gone. Stages still running after the wait (none
        /// should: the longest sleeps 5 s) are ended by their pid and noted.
        /// </summary>
        private static async Task Settle(List<BatchHost> hosts, PidWatcher watcher, Report report, string what)
        {
            foreach (var h in hosts)
            {
                await h.DismissAsync();
                if (!h.HasExited && !await h.WaitAsync(TimeSpan.FromSeconds(60)))
                {
                    report.Notes.Add($"{what}: batch host {h.Pid} still ran at the end; ended by SIGKILL");
                    h.Signal(Os.SIGKILL);
                    await h.WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            if (!watcher.WaitAllGone(TimeSpan.FromSeconds(30)))
            {
                var left = watcher.StillRunning();
                report.Notes.Add($"{what}: {left.Count} stage process(es) still ran 30 s after the batches; ended by pid: " +
                    string.Join(", ", left.Select(p => $"{p.Stage}/{p.Title}/{p.Pid}")));
                foreach (var p in left) Os.Signal(p.Pid, Os.SIGKILL);
                watcher.WaitAllGone(TimeSpan.FromSeconds(5));
            }
        }

        private static async Task<T?> Until<T>(Func<T?> probe, TimeSpan timeout, Func<bool> giveUp) where T : class
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < timeout)
            {
                var value = probe();
                if (value != null) return value;
                if (giveUp()) return probe();
                await Task.Delay(20);
            }
            return null;
        }

        /// <summary>With verify configured: was it ever asked, when an upload had to be started again?</summary>
        private static void NoteIgnoredVerify(Report report, bool configured, List<StageProcess> processes, List<VerifyCall> verifies)
        {
            if (!configured) return;
            var repeated = processes.Where(p => p.Stage == "upload").GroupBy(p => p.Run).Count(g => g.Count() > 1);
            if (verifies.Count == 0 && repeated > 0)
                report.Notes.Add($"verify is configured but was never asked, though {repeated} run folder(s) started the upload again: the engine takes the setting and ignores it");
        }
    }
}
