using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Watchdog
{
    /// <summary>
    /// The stage watchdog's work, in a process of its own that a batch's host starts (<see cref="StageWatch"/>): while
    /// the host lives and says so, nothing; when the host's pipe closes (it ended or was killed), or it stays silent
    /// longer than it may keep its holds (frozen, or cut off from its store), every process carrying the host's token
    /// in its environment is ended — the stages and whatever they started — and each ended attempt gets a "gone" line
    /// in its run folder, so that the book's next holder, on any server, knows that nothing of it runs any more
    /// (docs/DECISIONS.md, "A stage whose host died"). Linux only: processes are found through <c>/proc</c>.
    /// </summary>
    public static class StageWatchdog
    {
        // While the host is silent, processes it may still start are looked for again this often.
        private static readonly TimeSpan SilentScan = TimeSpan.FromMilliseconds(100);

        // How long no process carrying the token must have come up before attempts are recorded gone (a fork's exec).
        private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

        // How long killed processes get to be gone before their attempts are recorded as gone all the same.
        private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

        /// <summary>The line that tells of an attempt about to start: its run folder, stage, number and token, tab-separated.</summary>
        public const string WatchLine = "watch";

        /// <summary>The line that says an attempt's end is on record: its token.</summary>
        public const string RecordedLine = "recorded";

        /// <summary>
        /// Watches until the host's pipe (<paramref name="input"/>: every line a heartbeat, some telling of attempts)
        /// closes; <paramref name="silence"/> is how long the host may stay silent before its stages are ended (null: only
        /// its end counts). Returns 0.
        /// </summary>
        public static int Run(TextReader input, string token, TimeSpan? silence)
        {
            var closed = new ManualResetEvent(false);
            var heard = Stopwatch.StartNew(); // since the last line; reset by the reader, read by the watch below
            var open = new ConcurrentDictionary<string, AttemptOf>(StringComparer.Ordinal);
            var reader = new Thread(() =>
            {
                try
                {
                    for (string? line; (line = input.ReadLine()) != null;)
                    {
                        Hear(line, open);
                        lock (heard) heard.Restart();
                    }
                }
                catch (IOException) { }
                closed.Set();
            }) { IsBackground = true, Name = "BookBatch watchdog pipe" };
            reader.Start();
            // Woken only by the pipe's end or by the time the host may stay silent: a line costs the reader alone a wake-up.
            var silent = false;
            while (true)
            {
                var wait = silence is not TimeSpan most ? Timeout.InfiniteTimeSpan : silent ? SilentScan : most - Since(heard);
                if (closed.WaitOne(wait > TimeSpan.Zero || wait == Timeout.InfiniteTimeSpan ? wait : TimeSpan.Zero))
                {
                    EndAll(token, "its batch's host ended without ending it", open);
                    return 0;
                }
                silent = Since(heard) >= silence!.Value;
                if (silent) EndAll(token, $"its batch's host fell silent for {silence.Value.TotalSeconds:0.#} s (frozen, or cut off from its store) and could lose its books", open);
            }
        }

        private static TimeSpan Since(Stopwatch heard)
        {
            lock (heard) return heard.Elapsed;
        }

        // An attempt told of is open until its end is on record.
        private static void Hear(string line, ConcurrentDictionary<string, AttemptOf> open)
        {
            var fields = line.Split('\t');
            if (fields[0] == WatchLine && fields.Length == 5 && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                open[fields[4]] = new AttemptOf { RunFolder = fields[1], Stage = fields[2], Number = number, Token = fields[4] };
            else if (fields[0] == RecordedLine && fields.Length == 2) open.TryRemove(fields[1], out _);
        }

        /// <summary>
        /// Ends every process that carries <paramref name="token"/>, and records each attempt among them, and each attempt
        /// still <paramref name="open"/> whose end is not in its run folder (its process ended just before its host), as gone.
        /// </summary>
        private static void EndAll(string token, string why, ConcurrentDictionary<string, AttemptOf> open)
        {
            var found = Carrying(token);
            if (found.Count == 0 && open.IsEmpty) return;
            var ended = new List<AttemptOf>();
            // A stage started a moment before its host died may still be between fork and exec, where its environment
            // is the host's, without the token: the processes are looked for again until none has come up for a while,
            // and only then is anything recorded gone.
            var quiet = Stopwatch.StartNew();
            while (found.Count > 0 || quiet.Elapsed < Settle)
            {
                if (found.Count > 0)
                {
                    foreach (var process in found) Kill(process.Pid);
                    var deadline = DateTime.UtcNow + KillWait;
                    while (found.Any(p => Runs(p.Pid)) && DateTime.UtcNow < deadline) Thread.Sleep(20);
                    ended.AddRange(found.Where(p => p.Attempt != null).Select(p => p.Attempt!));
                    quiet.Restart();
                }
                Thread.Sleep(SilentScan);
                found = Carrying(token);
            }
            foreach (var attempt in ended.Concat(open.Values).GroupBy(a => a.Token).Select(g => g.First()))
            {
                if (!EndOnRecord(attempt)) RecordGone(attempt, "ended by the stage watchdog: " + why);
                open.TryRemove(attempt.Token, out _);
            }
        }

        private static bool EndOnRecord(AttemptOf attempt)
        {
            try { return RunDetailsLog.Read(attempt.RunFolder)?.AttemptOver(attempt.Stage, attempt.Number, attempt.Token) == true; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or RunFolderIOException) { return false; }
        }

        private static void RecordGone(AttemptOf attempt, string why)
        {
            try
            {
                using var file = RunDetailsLog.OpenForAppend(attempt.RunFolder);
                RunDetailsLog.Gone(file, attempt.Stage, attempt.Number, attempt.Token, why);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the folder is gone: nothing waits on it
        }

        // The processes whose environment carries the token, with the attempt each belongs to (its stage's variables).
        private static List<Carrier> Carrying(string token)
        {
            var found = new List<Carrier>();
            foreach (var (pid, environment) in ProcessEnvironments.Carrying(ProcessIdentity.WatchTokenVariable, token))
                found.Add(new Carrier(pid, AttemptOf.From(environment)));
            return found;
        }

        private static void Kill(int pid)
        {
            try { using var process = Process.GetProcessById(pid); process.Kill(); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { } // already gone
        }

        private static bool Runs(int pid) =>
            Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) && !ProcessIdentity.Stat(pid).Zombie;

        private sealed class Carrier
        {
            public Carrier(int pid, AttemptOf? attempt)
            {
                Pid = pid;
                Attempt = attempt;
            }

            public int Pid { get; }
            public AttemptOf? Attempt { get; }
        }

        // An attempt the watchdog may record gone: from its process's variables, or as its host told of it.
        private sealed class AttemptOf
        {
            public string Token { get; set; } = string.Empty;
            public string RunFolder { get; set; } = string.Empty;
            public string Stage { get; set; } = string.Empty;
            public int Number { get; set; }

            public static AttemptOf? From(IReadOnlyDictionary<string, string> environment) =>
                environment.TryGetValue(ProcessIdentity.TokenVariable, out var token) && environment.TryGetValue("BOOKBATCH_RUN_FOLDER", out var folder)
                && environment.TryGetValue("BOOKBATCH_STAGE", out var stage) && environment.TryGetValue("BOOKBATCH_ATTEMPT", out var text)
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? new AttemptOf { Token = token, RunFolder = folder, Stage = stage, Number = number }
                    : null;
        }
    }
}
