using System;
using System.Diagnostics;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// A process as it can be found again by another process later: its id and the time it started. The start time
    /// tells a process apart from a later one that got the same id after it ended. On Linux the start is also kept as
    /// the kernel counts it (clock ticks since boot), which no change of the system clock moves.
    /// </summary>
    public readonly struct ProcessIdentity
    {
        // Start times are read from the OS with 10 ms steps (Linux's clock ticks) and computed from its boot time:
        // two readings of one process may differ by that much, two processes that share an id never start that close.
        // A clock set between the two readings moves the second: the boot ticks, where there are some, do not move.
        private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

        /// <summary>Creates an identity.</summary>
        public ProcessIdentity(int pid, DateTimeOffset started, long? bootTicks = null)
        {
            Pid = pid;
            Started = started;
            BootTicks = bootTicks;
        }

        /// <summary>The process id.</summary>
        public int Pid { get; }

        /// <summary>When the process started (UTC).</summary>
        public DateTimeOffset Started { get; }

        /// <summary>When the process started in clock ticks since the machine booted (Linux's <c>/proc/&lt;pid&gt;/stat</c>); null elsewhere.</summary>
        public long? BootTicks { get; }

        /// <summary>The identity of a started process, or null when it has already ended (or cannot be read).</summary>
        public static ProcessIdentity? Of(Process process)
        {
            try { return new ProcessIdentity(process.Id, process.StartTime.ToUniversalTime(), Stat(process.Id).BootTicks); }
            catch (InvalidOperationException) { return null; }
            catch (System.ComponentModel.Win32Exception) { return null; }
            catch (NotSupportedException) { return null; }
        }

        /// <summary>The environment variable that carries an attempt's token to its process and every process it starts.</summary>
        public const string TokenVariable = "BOOKBATCH_ATTEMPT_TOKEN";

        /// <summary>The environment variable that carries the host's stage-watchdog token to each stage and what it starts.</summary>
        public const string WatchTokenVariable = "BOOKBATCH_WATCH_TOKEN";

        /// <summary>
        /// A running process whose environment carries <paramref name="token"/> in <see cref="TokenVariable"/>: the
        /// process of an attempt whose host died between starting it and recording it, or a process it started. Read
        /// from <c>/proc/&lt;pid&gt;/environ</c> (Linux); null where there is no <c>/proc</c> (on Windows a killed host's
        /// stages end with it) and when no such process runs.
        /// </summary>
        public static ProcessIdentity? FindByToken(string token)
        {
            foreach (var (pid, _) in ProcessEnvironments.Carrying(TokenVariable, token))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    var found = new ProcessIdentity(pid, process.StartTime.ToUniversalTime(), Stat(pid).BootTicks);
                    if (found.IsAlive()) return found;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { }
            }
            return null;
        }

        /// <summary>True while this very process still runs.</summary>
        public bool IsAlive()
        {
            var started = Started.ToUniversalTime();
            var bootTicks = BootTicks;
            return Runs(Pid, (start, ticks) => bootTicks is long recorded && ticks is long now
                ? recorded == now
                : (start - started).Duration() <= Tolerance);
        }

        /// <summary>
        /// True while process <paramref name="pid"/> runs and started no later than <paramref name="latest"/>: a batch's
        /// host, whose journal names its id and the batch's start but not the process's own start.
        /// </summary>
        public static bool RunsSince(int pid, DateTimeOffset latest)
        {
            var utc = latest.ToUniversalTime();
            return Runs(pid, (start, _) => start <= utc);
        }

        // True while the process runs (not a zombie) and its start (the time, and the boot ticks where /proc has them)
        // is the one looked for.
        private static bool Runs(int pid, Func<DateTimeOffset, long?, bool> startedAsExpected)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                var (zombie, ticks) = Stat(pid);
                if (process.HasExited || zombie) return false;
                return startedAsExpected(process.StartTime.ToUniversalTime(), ticks);
            }
            catch (ArgumentException) { return false; }          // no process has the id
            catch (InvalidOperationException) { return false; }   // it ended while we looked
            catch (System.ComponentModel.Win32Exception) { return true; } // it exists but may not be read: assume it is the one
            catch (NotSupportedException) { return true; }
        }

        // From /proc/<pid>/stat: whether the process is a zombie (killed a moment ago, not yet reaped by its new parent: it
        // runs no more), and its start in clock ticks since boot (the 22nd field; the name before it may hold spaces and
        // parentheses, so fields are counted from the last ')'). Nothing where there is no /proc, or the process is gone.
        internal static (bool Zombie, long? BootTicks) Stat(int pid)
        {
            string stat;
            try { stat = System.IO.File.ReadAllText("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/stat"); }
            catch (System.IO.IOException) { return (false, null); }
            catch (UnauthorizedAccessException) { return (false, null); }
            var end = stat.LastIndexOf(')');
            if (end < 0 || end + 2 >= stat.Length) return (false, null);
            var fields = stat.Substring(end + 2).Split(' '); // fields[0] is the 3rd field (the state)
            var zombie = fields[0] is "Z" or "X";
            return (zombie, fields.Length > 19 && long.TryParse(fields[19], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var ticks) ? ticks : null);
        }

        /// <inheritdoc />
        public override string ToString() => "process " + Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
