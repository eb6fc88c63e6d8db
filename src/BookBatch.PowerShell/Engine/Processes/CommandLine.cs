using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace BookBatch.Engine.Processes
{
    /// <summary>Gives a process its arguments as an array: each one arrives whole, whatever characters it holds.</summary>
    internal static class CommandLine
    {
        // ProcessStartInfo.ArgumentList (.NET Core 2.1+, so PowerShell 7) passes each argument as it is.
        private static readonly PropertyInfo? ArgumentList = typeof(ProcessStartInfo).GetProperty("ArgumentList");

        /// <summary>The executable to start: a relative path with a folder in it is relative to the workspace; a bare name is found on PATH.</summary>
        public static string Executable(string command, string workspace)
        {
            var hasFolder = command.IndexOf('/') >= 0 || command.IndexOf('\\') >= 0;
            return hasFolder && !System.IO.Path.IsPathRooted(command) ? System.IO.Path.GetFullPath(System.IO.Path.Combine(workspace, command)) : command;
        }

        /// <summary>True when <see cref="Executable"/> of the command names a file that exists, or a bare name found on PATH (with PATHEXT on Windows).</summary>
        public static bool CanFind(string command, string workspace)
        {
            var executable = Executable(command, workspace);
            if (System.IO.Path.IsPathRooted(executable)) return System.IO.File.Exists(executable);
            var extensions = new List<string> { string.Empty };
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
                extensions.AddRange((System.Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT;.COM").Split(';'));
            foreach (var folder in (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator))
            {
                if (folder.Length == 0) continue;
                foreach (var extension in extensions)
                {
                    try
                    {
                        if (System.IO.File.Exists(System.IO.Path.Combine(folder.Trim('"'), executable + extension))) return true;
                    }
                    catch (System.ArgumentException) { } // a PATH entry with characters no path may have
                }
            }
            return false;
        }

        /// <summary>Sets the arguments of a start, replacing any it had.</summary>
        public static void SetArguments(ProcessStartInfo start, IEnumerable<string> arguments)
        {
            if (ArgumentList?.GetValue(start) is IList list)
            {
                list.Clear();
                foreach (var argument in arguments) list.Add(argument);
                return;
            }
            var line = new StringBuilder();
            foreach (var argument in arguments)
            {
                if (line.Length > 0) line.Append(' ');
                AppendQuoted(line, argument);
            }
            start.Arguments = line.ToString();
        }

        /// <summary>Quotes one argument the way the Microsoft C runtime (CommandLineToArgvW) splits it back.</summary>
        internal static void AppendQuoted(StringBuilder line, string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                line.Append(argument);
                return;
            }
            line.Append('"');
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') line.Append('\\', backslashes * 2 + 1);
                else line.Append('\\', backslashes);
                backslashes = 0;
                line.Append(c);
            }
            line.Append('\\', backslashes * 2);
            line.Append('"');
        }
    }
}
