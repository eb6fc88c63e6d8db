using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// The environments of this machine's running processes, read from <c>/proc/&lt;pid&gt;/environ</c> (Linux): how
    /// the stages of a dead host are found, by the token their environment carries (and every process they start inherits).
    /// </summary>
    internal static class ProcessEnvironments
    {
        /// <summary>
        /// Every process but this one whose environment sets <paramref name="variable"/> to <paramref name="value"/>, with
        /// its whole environment; none where there is no <c>/proc</c>. A process that ends or is not ours to read is left out.
        /// </summary>
        public static IEnumerable<(int Pid, IReadOnlyDictionary<string, string> Environment)> Carrying(string variable, string value)
        {
            if (!File.Exists("/proc/self/environ")) yield break;
            int self;
            using (var current = Process.GetCurrentProcess()) self = current.Id;
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self) continue;
                var environment = Read(folder);
                if (environment != null && environment.TryGetValue(variable, out var carried) && carried == value) yield return (pid, environment);
            }
        }

        // Each variable ends with a NUL.
        private static Dictionary<string, string>? Read(string folder)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(folder + "/environ"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // gone, or not ours to read
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in Encoding.UTF8.GetString(bytes).Split('\0'))
            {
                var equals = pair.IndexOf('=');
                if (equals > 0) variables[pair.Substring(0, equals)] = pair.Substring(equals + 1);
            }
            return variables;
        }
    }
}
