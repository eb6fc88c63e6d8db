using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace BookBatch.Engine.Stages
{
    /// <summary>Gives a process its arguments as an array: each one arrives whole, whatever characters it holds.</summary>
    internal static class CommandLine
    {
        // ProcessStartInfo.ArgumentList (.NET Core 2.1+, so PowerShell 7) passes each argument as it is.
        private static readonly PropertyInfo? ArgumentList = typeof(ProcessStartInfo).GetProperty("ArgumentList");

        public static void SetArguments(ProcessStartInfo start, IEnumerable<string> arguments)
        {
            if (ArgumentList?.GetValue(start) is IList list)
            {
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
