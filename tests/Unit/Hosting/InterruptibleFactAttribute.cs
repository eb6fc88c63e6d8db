using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Xunit;

namespace BookBatch.Tests.Hosting
{
    /// <summary>
    /// A Unix test that sends SIGINT (Ctrl+C) to a host it starts. A process inherits the signals its parent ignores:
    /// a test command started in the background from a script (<c>nohup … &amp;</c>) ignores SIGINT, and so do the
    /// hosts it starts, which then never stop. Skipped, with that reason, when this process or one that started it
    /// ignores SIGINT (the <c>SigIgn</c> mask in <c>/proc/&lt;pid&gt;/status</c>), and on Windows.
    /// </summary>
    public sealed class InterruptibleFactAttribute : FactAttribute
    {
        public InterruptibleFactAttribute()
        {
            if (OperatingSystem.IsWindows()) Skip = UnixOnly.Reason;
            else if (IgnoresSigInt()) Skip = "SIGINT is ignored in this process (it was started in the background, e.g. by nohup or '&' in a script), " +
                "so the hosts it starts ignore Ctrl+C too: run the tests from a terminal, or in the foreground, to run this one.";
        }

        // Bit n-1 of the mask is signal n: SIGINT (2) is 0x2. The .NET runtime handles SIGINT itself, so this process's
        // own mask no longer shows what it inherited: the processes that started it (the test command, the shell) do.
        private static bool IgnoresSigInt()
        {
            var pid = "self";
            for (var depth = 0; depth < 6 && pid != "0"; depth++)
            {
                var status = $"/proc/{pid}/status";
                if (!File.Exists(status)) return false; // no /proc (macOS): nothing to tell by
                string[] lines;
                try { lines = File.ReadAllLines(status); }
                catch (IOException) { return false; } // gone meanwhile
                if (Field(lines, "SigIgn:") is string mask && ulong.TryParse(mask, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var ignored)
                    && (ignored & 0x2) != 0)
                    return true;
                pid = Field(lines, "PPid:") ?? "0";
            }
            return false;
        }

        private static string? Field(string[] lines, string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Substring(name.Length).Trim();
    }
}
