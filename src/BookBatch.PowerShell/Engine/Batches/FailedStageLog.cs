using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// The log of the stage a failed book stopped at, and its last lines, as the final summary, the error record of a
    /// failed book and the completion mail show them.
    /// </summary>
    public static class FailedStageLog
    {
        /// <summary>
        /// The log of the stage a failed book stopped at (the last stage this batch ran for it), when there is one on
        /// disk; null when it ran none or the stage wrote nothing.
        /// </summary>
        public static string? PathOf(BookBatchResult result, Workspace workspace) =>
            result.StagesRun.Count > 0 && RunFolder.LogPath(workspace, result.RunFolder, result.StagesRun[result.StagesRun.Count - 1]) is string log && File.Exists(log)
                ? log : null;

        /// <summary>
        /// The last <paramref name="count"/> non-empty lines of a log (only its end is read: a log can be large); one line
        /// that says why when it cannot be read.
        /// </summary>
        public static IReadOnlyList<string> LastLines(string path, int count)
        {
            try { return StageLog.Tail(path, 4 * count).Where(l => l.Trim().Length > 0).Reverse().Take(count).Reverse().ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return new[] { "(cannot be read: " + e.Message + ")" }; }
        }
    }
}
