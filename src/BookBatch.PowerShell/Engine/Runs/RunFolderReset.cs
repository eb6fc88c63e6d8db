using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// The operator's reset of a book's run folder (Reset-Book -FromStage), made while no batch runs the book: unlike a
    /// <see cref="RunFolder"/> a batch keeps open, it rewrites <c>summary.json</c> at once and settles the reset stages'
    /// cut-off attempts in the details.
    /// </summary>
    public static class RunFolderReset
    {
        /// <summary>
        /// Sets the stages of a book's run folder back to not run, from <paramref name="stage"/> on (Reset-Book
        /// -FromStage), and writes its summary; returns the stages reset, or null when the folder is not there.
        /// Throws <see cref="StageNotFoundException"/> for a stage the run lacks, with nothing written.
        /// </summary>
        public static IReadOnlyList<string>? From(Workspace workspace, string? name, string stage)
        {
            var path = workspace.RunFolderPath(name);
            if (path is null || !Directory.Exists(path)) return null;
            var details = RunDetailsLog.Read(path);
            var summary = RunSummary.Read(path);
            details?.ApplyTo(summary);
            var reset = summary.ResetFrom(stage);
            summary.Write();
            // The details' ends before now are in this summary: a reader must not apply them over the reset. A stage
            // reset is the operator's word that its cut-off attempt did not do its work (a Review settled).
            if (details != null && File.Exists(Path.Combine(path, RunDetailsLog.FileName)))
                using (var file = RunDetailsLog.OpenForAppend(path))
                {
                    RunDetailsLog.Summarized(file, details.LastChange);
                    foreach (var resetStage in reset)
                    {
                        var stageDetails = details.Stages.FirstOrDefault(d => string.Equals(d.Name, resetStage, StringComparison.OrdinalIgnoreCase));
                        if (stageDetails is { LastAttemptInDoubt: true })
                            RunDetailsLog.Reviewed(file, stageDetails.Name, stageDetails.Attempts[stageDetails.Attempts.Count - 1].Attempt,
                                "Reset-Book -FromStage: the operator runs it again");
                    }
                }
            return reset;
        }
    }
}
