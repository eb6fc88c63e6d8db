using System;
using System.IO;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// Where a process runs, as far as another process can see it: the server's name and, on Linux, its boot and its
    /// PID namespace. A process recorded at another place cannot be looked up here (another server, or a container with
    /// processes of its own): whether it still runs is known only from what its place wrote (docs/DECISIONS.md, "A stage
    /// whose host died").
    /// </summary>
    public static class ProcessPlace
    {
        private static readonly Lazy<string> Here = new(Read);

        /// <summary>This process's place.</summary>
        public static string Current => Here.Value;

        /// <summary>True when a process recorded at <paramref name="place"/> can be looked up from here (an old record without one counts as here).</summary>
        public static bool IsHere(string? place) => string.IsNullOrEmpty(place) || string.Equals(place, Current, StringComparison.Ordinal);

        private static string Read()
        {
            var place = Environment.MachineName;
            var boot = ReadText("/proc/sys/kernel/random/boot_id");
            if (boot != null) place += "/" + boot.Trim();
            var pids = LinkOf("/proc/self/ns/pid");
            if (pids != null) place += "/" + pids;
            return place;
        }

        private static string? ReadText(string path)
        {
            try { return File.Exists(path) ? File.ReadAllText(path) : null; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }

        // The target of a symbolic link (pid:[4026531836] for a namespace), on a framework that can read links.
        private static string? LinkOf(string path)
        {
            try
            {
                var info = new FileInfo(path);
                var target = typeof(FileSystemInfo).GetProperty("LinkTarget")?.GetValue(info) as string;
                return string.IsNullOrEmpty(target) ? null : target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Reflection.TargetInvocationException) { return null; }
        }
    }
}
