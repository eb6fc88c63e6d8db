using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Another server, simulated on this machine: a process started in a PID namespace of its own (with its own /proc),
    /// so it and its stages cannot be seen from the others. The namespace's first process is a shell that waits for
    /// the command and then stays 30 s, so that a command killed there leaves its other processes running, as on a
    /// server that stays up (when a namespace's first process ends, the kernel ends all of its processes).
    /// </summary>
    internal static class PidNamespace
    {
        /// <summary>Why such tests cannot run here; null when they can (Linux, root, unshare).</summary>
        public static readonly string? Unavailable =
            !OperatingSystem.IsLinux() ? "PID namespaces are Linux's"
            : Environment.UserName != "root" ? "making a PID namespace needs root (CI runs as root)"
            : !File.Exists("/usr/bin/unshare") ? "unshare (util-linux) is missing"
            : null;

        /// <summary>Makes <paramref name="start"/> start its command in a namespace of its own.</summary>
        public static void Wrap(ProcessStartInfo start)
        {
            var command = new[] { start.FileName }.Concat(start.ArgumentList).ToList();
            start.FileName = "unshare";
            start.ArgumentList.Clear();
            foreach (var arg in new[] { "--pid", "--fork", "--mount-proc", "--", "sh", "-c", "\"$@\" & wait $!; sleep 30", "sh" }.Concat(command))
                start.ArgumentList.Add(arg);
        }

        /// <summary>The command's process as this machine sees it (unshare → the namespace's shell → the command).</summary>
        public static int CommandOf(Process unshare)
        {
            var found = 0;
            Assert.True(SpinWait.SpinUntil(() => (found = Children(unshare.Id).SelectMany(Children).FirstOrDefault()) != 0, TimeSpan.FromSeconds(10)),
                "the namespace's command did not start");
            return found;
        }

        private static int[] Children(int pid)
        {
            try { return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray(); }
            catch (IOException) { return Array.Empty<int>(); }
        }
    }

    /// <summary>A test that needs PID namespaces; skipped with the reason where they cannot be made.</summary>
    public sealed class NamespacesFactAttribute : FactAttribute
    {
        public NamespacesFactAttribute()
        {
            if (PidNamespace.Unavailable is { } reason) Skip = reason;
        }
    }
}
