using System;
using System.Diagnostics;
using System.IO;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// Makes files and folders truly read-only for the test's own process, and writable again when disposed. The
    /// tests run as root, for whom permission bits change nothing: there the immutable attribute (chattr +i) is set,
    /// which refuses root as well; as another user the write bits are taken away.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    internal sealed class ReadOnly : IDisposable
    {
        private readonly string[] _paths;
        private readonly bool _immutable;

        private ReadOnly(string[] paths, bool immutable)
        {
            _paths = paths;
            _immutable = immutable;
        }

        public static bool IsRoot => Environment.UserName == "root";

        public static ReadOnly Make(params string[] paths)
        {
            foreach (var path in paths)
                if (IsRoot) Run("chattr", "+i", path);
                else File.SetUnixFileMode(path, File.GetUnixFileMode(path) & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
            return new ReadOnly(paths, IsRoot);
        }

        public void Dispose()
        {
            foreach (var path in _paths)
                if (_immutable) Run("chattr", "-i", path);
                else File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite);
        }

        private static void Run(string command, params string[] arguments)
        {
            var start = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(" ", arguments)} failed: {error}");
        }
    }
}
