using System;
using System.Collections.Generic;
using BookBatch.Engine.Books;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// What holds a book besides its status (docs/ARCHITECTURE.md, "hold" and "Resume"): a live batch's lease; or, when
    /// the lease's holder died (its holder file stays behind), what that batch left in the book's run folder — a stage
    /// process still running (a killed host does not take its stages along on Linux and macOS), or a publishing stage
    /// cut off before it reported a URL, which without a verify command waits for the operator.
    /// </summary>
    internal static class BookHolds
    {
        /// <summary>
        /// The holds as a plan asks for them, book by book with the run folder the ledger names: the holder files are
        /// listed once, and only a book that has one is looked at further.
        /// </summary>
        public static Func<Book, string?, BookHold?> Reader(Workspace workspace, IReadOnlyList<StageSettings>? stages)
        {
            var listed = BookLease.Listed(workspace);
            if (listed.Count == 0) return (_, _) => null;
            return (book, runFolder) => listed.Contains(BookLease.NameOf(book)) ? Inspect(workspace, book, runFolder, stages) : null;
        }

        /// <summary>What holds one book now, or null.</summary>
        public static BookHold? Of(Workspace workspace, Book book, string? runFolder, IReadOnlyList<StageSettings>? stages) =>
            Reader(workspace, stages)(book, runFolder);

        private static BookHold? Inspect(Workspace workspace, Book book, string? runFolder, IReadOnlyList<StageSettings>? stages)
        {
            var holder = BookLease.HolderOf(workspace, book);
            if (holder != null) return new BookHold(BookAction.InProgress, "in progress in another batch: " + holder);
            // The holder file outlived its batch: look at what that batch left.
            var path = workspace.RunFolderPath(runFolder);
            var details = path is null ? null : RunFolder.ReadDetails(path);
            if (details is null) return null;
            if (details.LiveAttempt() is var (stage, attempt, process)) return new BookHold(BookAction.InProgress, "in progress: " + attempt.DescribeLeftover(stage.Name, process));
            foreach (var setting in stages ?? Array.Empty<StageSettings>())
            {
                if (!setting.Publishing || setting.Verify != null) continue;
                var stageDetails = details.Stage(setting.Name);
                if (!stageDetails.LastAttemptInDoubt || RunFolder.PublishedUrl(RunFolder.ReadOutputs(path!, setting.Name)) != null) continue;
                var cutOff = stageDetails.Attempts[stageDetails.Attempts.Count - 1];
                return new BookHold(BookAction.Review,
                    $"{Batches.BookBatchResult.ReviewReasonPrefix}stage '{setting.Name}' (attempt {cutOff.Attempt}, batch {cutOff.Batch}) was cut off before it reported a URL, and it has no verify command; " +
                    $"if it published: Complete-Book '{book.Title}' -YouTubeUrl <url>; if not: Reset-Book '{book.Title}' -FromStage {setting.Name}");
            }
            return null;
        }
    }
}
