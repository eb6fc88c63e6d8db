using System;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Screen;

namespace BookBatch.Module
{
    /// <summary>
    /// A failed book as a non-terminating error, beside its result: <c>$?</c>, <c>-ErrorAction Stop</c>,
    /// try/catch, <c>-ErrorVariable</c> and a scheduled task's exit code see it.
    /// </summary>
    internal static class BookFailure
    {
        private const string TimedOut = "timed out";

        public static ErrorRecord Record(BookBatchResult result, Engine.Workspaces.Workspace workspace)
        {
            var stage = result.StagesRun.Count > 0 ? result.StagesRun[result.StagesRun.Count - 1] : null;
            var log = FailedStageLog.PathOf(result, workspace);
            var next = stage is null
                ? "Fix the cause and run the batch again."
                : (log is null ? "Fix" : $"See its log ({log}), fix") + $" the cause and run the batch again: the book resumes at stage '{stage}'.";
            var message = $"'{result.Book}' failed: {result.Error}. {next}";
            var category = result.Error?.IndexOf(TimedOut, StringComparison.Ordinal) >= 0 ? ErrorCategory.OperationTimeout : ErrorCategory.InvalidResult;
            return new ErrorRecord(new InvalidOperationException(message), ErrorIds.BookFailed, category, result);
        }
    }
}
