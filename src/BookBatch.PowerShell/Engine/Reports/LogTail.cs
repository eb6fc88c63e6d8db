using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BookBatch.Engine.Reports
{
    /// <summary>
    /// The last lines of a stage's log as they were when one attempt ended: the log goes on with the stage's later
    /// attempts (a retry, the next batch), which are cut off at the header of the first later attempt. Read from the
    /// end of the file, without waiting for its writer.
    /// </summary>
    internal static class LogTail
    {
        private const int Bytes = 64 * 1024;
        private static readonly System.Text.RegularExpressions.Regex AttemptHeader =
            new(@"^=== \S+ \S+ \S+ attempt (\d+) of stage '", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>At most <paramref name="lines"/> lines of the file up to the end of attempt <paramref name="attempt"/>; null when there is no file.</summary>
        public static string? Read(string path, int attempt, int lines = 8)
        {
            List<string> all;
            try { all = Stages.StageLog.EndLines(path, Bytes); }
            catch (IOException) { return null; }
            if (all.Count == 0) return null;
            var end = all.FindIndex(l => AttemptHeader.Match(l) is { Success: true } m && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > attempt);
            if (end >= 0) all.RemoveRange(end, all.Count - end);
            while (all.Count > 0 && all[all.Count - 1].Length == 0) all.RemoveAt(all.Count - 1);
            return string.Join("\n", all.Skip(Math.Max(0, all.Count - lines)));
        }
    }
}
