using System;
using Xunit;

namespace BookBatch.Tests.Hosting
{
    /// <summary>
    /// A test of what only Unix has: signals (SIGTERM, SIGHUP), and a killed host's stage running on (on Windows the
    /// stages' job object ends them with their host). Skipped, with the reason, on Windows.
    /// </summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows()) Skip = UnixOnly.Reason;
        }
    }

    /// <summary>The theory form of <see cref="UnixFactAttribute"/>.</summary>
    public sealed class UnixTheoryAttribute : TheoryAttribute
    {
        public UnixTheoryAttribute()
        {
            if (OperatingSystem.IsWindows()) Skip = UnixOnly.Reason;
        }
    }

    /// <summary>
    /// A test of what only Linux has: <c>/proc/&lt;pid&gt;/environ</c>, by which a stage process that was never recorded
    /// is found by its attempt's token. Skipped, with the reason, elsewhere.
    /// </summary>
    public sealed class LinuxFactAttribute : FactAttribute
    {
        public LinuxFactAttribute()
        {
            if (!OperatingSystem.IsLinux()) Skip = "Linux only: a process is found by its environment through /proc.";
        }
    }

    internal static class UnixOnly
    {
        public const string Reason = "Unix only: signals, and a killed host's stages running on (on Windows its job object ends them).";
    }
}
