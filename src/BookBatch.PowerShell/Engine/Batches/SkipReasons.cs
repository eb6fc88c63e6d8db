using System;

namespace BookBatch.Engine.Batches
{
    /// <summary>The texts that go with the skip reasons, and the one place a category is read back from an old text.</summary>
    public static class SkipReasons
    {
        /// <summary>The text of a book the operator declined at the confirmation.</summary>
        public const string DeclinedText = "declined at the confirmation";
        /// <summary>The text of a book the batch did not start because it was stopped.</summary>
        public const string InterruptedText = "interrupted";
        /// <summary>How the text of a book waiting for the operator's review begins.</summary>
        public const string ReviewPrefix = "needs review: ";
        /// <summary>The text of a published book.</summary>
        public const string AlreadyDoneText = "Already completed";
        /// <summary>The text of a book listed twice.</summary>
        public const string ListedTwiceText = "listed twice in this batch";
        /// <summary>The text of a book another batch finished since the plan.</summary>
        public const string CompletedSinceThePlanText = "completed by another batch since the plan";
        private const string AwaitsVerifyText = "; the next batch asks its verify command whether it published";

        /// <summary>The text of a book whose publishing stage was cut off and has a verify command: <paramref name="what"/> happened.</summary>
        public static string AwaitsVerify(string what) => what + AwaitsVerifyText;

        /// <summary>The text of a book stopped by its own time-out (<paramref name="timeout"/>) during stage <paramref name="stage"/>.</summary>
        public static string TimedOut(TimeSpan timeout, string stage) =>
            $"the book timed out after {timeout.TotalSeconds:0.#} s during stage '{stage}'";

        /// <summary>The text of a quota wait: stage <paramref name="stage"/> may start next at <paramref name="opens"/>.</summary>
        public static string Quota(string stage, DateTimeOffset opens) =>
            $"waiting for stage '{stage}': its quota allows the next start at {opens.ToLocalTime():yyyy-MM-dd HH:mm:ss}; the next batch carries on";

        /// <summary>
        /// The review text, built here only: what is in doubt (<paramref name="why"/>, or that stage
        /// <paramref name="stage"/> may have published) and the two commands that settle it for <paramref name="title"/>.
        /// </summary>
        public static string Review(string title, string stage, string? why) =>
            $"{ReviewPrefix}{why ?? $"stage '{stage}' may have published"}. If it published, record it: Complete-Book '{title}' -YouTubeUrl <url>; " +
            $"if not, run it again: Reset-Book '{title}' -FromStage {stage}";

        /// <summary>
        /// The category of a result read from a journal line written before the category had a field of its own: read
        /// from the reason's text, as those versions wrote it. A result that is not Skipped has none.
        /// </summary>
        public static SkipReason FromOldText(BookOutcome outcome, string? text)
        {
            if (outcome != BookOutcome.Skipped) return SkipReason.None;
            if (text is null) return SkipReason.Other;
            bool Starts(string prefix) => text.StartsWith(prefix, StringComparison.Ordinal);
            if (text == AlreadyDoneText) return SkipReason.AlreadyDone;
            if (text == ListedTwiceText) return SkipReason.ListedTwice;
            if (text == DeclinedText) return SkipReason.Declined;
            if (text == CompletedSinceThePlanText) return SkipReason.CompletedSinceThePlan;
            if (Starts(ReviewPrefix)) return SkipReason.Review;
            if (Starts(InterruptedText)) return SkipReason.Interrupted;
            if (Starts("in progress")) return SkipReason.InProgress;
            if (Starts("waiting for stage '")) return SkipReason.Quota;
            if (text.EndsWith(AwaitsVerifyText, StringComparison.Ordinal)) return SkipReason.AwaitsVerify;
            return SkipReason.Other;
        }
    }
}
