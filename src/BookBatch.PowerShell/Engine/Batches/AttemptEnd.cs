using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// What an attempt's end is, told from its process and its outputs before it is recorded: a stage that died of a
    /// signal during a stop was interrupted; a success whose URL is no URL waits for review (a URL is checked before it
    /// is recorded); the stage's defer exit code is "not now", for the time its outputs name. What the end then means
    /// for the book is <see cref="AttemptVerdict"/>'s.
    /// </summary>
    internal static class AttemptEnd
    {
        /// <summary>How long a stage that died of a signal waits for the batch's stop before it counts as failed.</summary>
        private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(1);
        /// <summary>STATUS_CONTROL_C_EXIT: a Windows process ended by Ctrl+C.</summary>
        private const int ControlCExit = unchecked((int)0xC000013A);

        /// <summary>
        /// Reads the end of <paramref name="stage"/>'s attempt in <paramref name="folder"/> as its runner reported it
        /// (<paramref name="outcome"/>): returns the outcome to record and the outputs to record with it.
        /// </summary>
        public static async Task<(StageOutcome, Dictionary<string, string?>?)> ReadAsync(BatchContext context, PlannedBook book,
            RunFolder folder, StageSettings stage, StageOutcome outcome, CancellationToken cancellation)
        {
            // Ctrl+C reaches the stage with the host: a stage that died of a signal a moment before the batch was told to
            // stop was stopped by that interruption, not failed. Its end waits a moment for the stop before it is recorded.
            if (outcome.Result == StageResult.Failed && !cancellation.IsCancellationRequested && EndedBySignal(outcome.ExitCode))
                await Task.WhenAny(context.Clock.Delay(InterruptGrace, cancellation)).ConfigureAwait(false);
            if (outcome.Result == StageResult.Failed && cancellation.IsCancellationRequested)
                outcome = new StageOutcome(StageResult.Canceled, outcome.ExitCode, outcome.Error);
            var outputs = outcome.Result == StageResult.Succeeded ? folder.ReadOutputs(stage.Name) : null;
            if (StageOutputs.UrlProblem(outputs) is string badUrl)
            {
                // Never recorded as published: the operator says what it was.
                outcome = new StageOutcome(StageResult.Review, outcome.ExitCode, $"stage '{stage.Name}' succeeded, but {badUrl}");
                outputs = null;
                context.Observer.Warning($"'{book.Book}': {outcome.Error}. The book is not published; it waits for your review.");
            }
            if (outcome.Result == StageResult.Failed && outcome.ExitCode == stage.DeferExitCode)
            {
                var after = RetryAfter(folder.ReadOutputs(stage.Name));
                outcome = new StageOutcome(StageResult.Deferred, outcome.ExitCode,
                    after is null ? "the stage said not now" : $"the stage said not now, for {after.Value.TotalSeconds:0} s",
                    after);
                System.IO.File.Delete(folder.OutputsPath(stage.Name));
            }
            return (outcome, outputs);
        }

        // 128 + the signal's number is how a Unix process killed by a signal (or one that ends because of it) exits.
        private static bool EndedBySignal(int? exitCode) => exitCode is > 128 and <= 128 + 64 or ControlCExit;

        private static TimeSpan? RetryAfter(Dictionary<string, string?>? outputs) =>
            outputs != null && outputs.TryGetValue("retryAfterSeconds", out var text)
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds) : null;
    }
}
