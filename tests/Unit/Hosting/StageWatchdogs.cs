using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace BookBatch.Tests.Hosting
{
    /// <summary>The stage watchdogs a batch's host started (Linux), found as the host's children that run BookBatch.Watchdog.dll.</summary>
    public static class StageWatchdogs
    {
        /// <summary>The pids of <paramref name="host"/>'s watchdogs (none where there is no /proc).</summary>
        public static IReadOnlyList<int> Of(int host)
        {
            var tasks = $"/proc/{host}/task";
            if (!Directory.Exists(tasks)) return Array.Empty<int>();
            var children = new List<int>();
            foreach (var task in Directory.EnumerateDirectories(tasks))
            {
                try { children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
                catch (IOException) { } // the thread ended
            }
            return children.Where(IsWatchdog).ToList();
        }

        /// <summary>
        /// Kills <paramref name="host"/> and, first, its watchdogs (SIGKILL both): what a stage is left as when its host
        /// and its watchdog die together (the watchdog killed too, or no watchdog), so that it runs on as an orphan.
        /// </summary>
        public static void KillWithHost(Process host)
        {
            foreach (var watchdog in Of(host.Id))
            {
                try { using var process = Process.GetProcessById(watchdog); process.Kill(); process.WaitForExit(5000); }
                catch (ArgumentException) { }
            }
            host.Kill();
        }

        private static bool IsWatchdog(int pid)
        {
            try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("BookBatch.Watchdog.dll", StringComparison.Ordinal); }
            catch (IOException) { return false; }
        }
    }
}
