using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Leftovers
{
    /// <summary>
    /// What a batch that died while it held a book left in the book's run folder that still holds the book, in either
    /// store (docs/ARCHITECTURE.md, "hold" and "Resume"): a stage process still running (a killed host does not take its
    /// stages along on Linux and macOS), or a publishing stage cut off before it reported a URL, which without a verify
    /// command waits for the operator.
    /// </summary>
    internal static class DeadHolderLeft
    {
        /// <summary>The hold that <paramref name="book"/>'s run folder <paramref name="runFolder"/> shows, or null.</summary>
        public static BookHold? Hold(Workspace workspace, Book book, string? runFolder, IReadOnlyList<StageSettings>? stages)
        {
            var path = workspace.RunFolderPath(runFolder);
            var details = path is null ? null : RunFolder.ReadDetails(path);
            if (details is null) return null;
            if (details.LiveAttempt() is var (stage, attempt, process)) return new BookHold(BookAction.InProgress, "in progress: " + attempt.DescribeLeftover(stage.Name, process));
            foreach (var setting in stages ?? Array.Empty<StageSettings>())
            {
                if (!setting.Publishing || setting.Verify != null) continue;
                var stageDetails = details.Stage(setting.Name);
                if (!stageDetails.LastAttemptInDoubt || StageOutputs.PublishedUrl(StageOutputs.Read(path!, setting.Name)) != null) continue;
                var cutOff = stageDetails.Attempts[stageDetails.Attempts.Count - 1];
                return new BookHold(BookAction.Review,
                    $"{Batches.BookBatchResult.ReviewReasonPrefix}stage '{setting.Name}' (attempt {cutOff.Attempt}, batch {cutOff.Batch}) was cut off before it reported a URL, and it has no verify command; " +
                    $"if it published: Complete-Book '{book.Title}' -YouTubeUrl <url>; if not: Reset-Book '{book.Title}' -FromStage {setting.Name}");
            }
            return null;
        }
    }
}
