using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A book's publication that may have been cut off: a stage whose outputs already name a published URL is finished
    /// from them and not run again; a publishing stage whose last attempt was cut off without a URL is settled by its
    /// verify command, or waits for the operator's review when nobody can tell. Never publishes twice.
    /// </summary>
    internal sealed class PublicationRecovery
    {
        private readonly BatchContext _context;
        private readonly PlannedBook _planned;
        private readonly RunFolder _folder;

        public PublicationRecovery(BatchContext context, PlannedBook planned, RunFolder folder)
        {
            _context = context;
            _planned = planned;
            _folder = folder;
        }

        /// <summary>
        /// What stands before an attempt of <paramref name="stage"/>: the outcome that ends it without running the stage
        /// (it published already, or it waits for review, or the batch stopped while its verify command ran), or null
        /// when the stage is to run. <paramref name="processEnded"/> is called when the attempt ends here.
        /// </summary>
        public async Task<StageOutcome?> BeforeAttemptAsync(StageSettings stage, CancellationToken cancellation, Action processEnded)
        {
            var published = await RecoverPublishedAsync(stage, processEnded, "already published {0}; it is not run again").ConfigureAwait(false);
            if (published != null || !stage.Publishing || !_folder.Details.Stage(stage.Name).LastAttemptInDoubt) return published;
            var doubt = await SettleDoubtAsync(stage, cancellation).ConfigureAwait(false);
            if (doubt != null)
            {
                processEnded();
                return doubt;
            }
            return await RecoverPublishedAsync(stage, processEnded,
                "published {0} before it was cut off (its verify command says so); it is not run again").ConfigureAwait(false);
        }

        // A stage whose outputs file already names a published URL is not run again (it published before a crash, or its
        // verify command found the upload): it is finished from its outputs. Null when there is no URL.
        private async Task<StageOutcome?> RecoverPublishedAsync(StageSettings stage, Action processEnded, string note)
        {
            var outputs = _folder.ReadOutputs(stage.Name);
            if (StageOutputs.UrlProblem(outputs) is string badUrl)
            {
                processEnded();
                return new StageOutcome(StageResult.Review, null, $"stage '{stage.Name}' had run before, and {badUrl}");
            }
            if (StageOutputs.PublishedUrl(outputs) is not string url) return null;
            processEnded();
            _folder.Recovered(stage.Name, outputs!);
            await _folder.FlushSummary().ConfigureAwait(false);
            _context.Observer.Note($"'{_planned.Book}': stage '{stage.Name}' " + string.Format(CultureInfo.InvariantCulture, note, url));
            return new StageOutcome(StageResult.Succeeded, null, null);
        }

        // The publishing stage's last attempt was cut off without a URL: did it publish? Its verify command is asked (exit
        // 0 with a youtube_url in the outputs: it did, and the caller finishes the stage from them; exit 1: it did not,
        // and the stage runs again). Returns the outcome that stops the attempt (Review when nobody can tell, Canceled
        // when the batch stops meanwhile) or null when the attempt may go on.
        private async Task<StageOutcome?> SettleDoubtAsync(StageSettings stage, CancellationToken cancellation)
        {
            var cutOff = _folder.Details.Stage(stage.Name).Attempts.Last();
            var what = $"stage '{stage.Name}' (attempt {cutOff.Attempt}, batch {cutOff.Batch}) was cut off before it reported a URL";
            if (stage.Verify is null)
                return new StageOutcome(StageResult.Review, null, what + ", and it has no verify command to ask whether it published");
            var invocation = new StageInvocation(stage.Verify, _planned.Book, _context.Workspace.Root, _folder.FullPath, _context.Options.Privacy,
                cutOff.Attempt, _folder.LogPath(stage.Name), _folder.OutputsPath(stage.Name));
            StageOutcome verdict;
            try { verdict = await _context.Runners(stage.Verify).RunAsync(invocation, cancellation).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { verdict = new StageOutcome(StageResult.Failed, null, e.Message); }
            if (cancellation.IsCancellationRequested) return new StageOutcome(StageResult.Canceled, null, "stopped while its verify command ran");
            if (verdict.Result == StageResult.Succeeded) return null; // the caller reads the URL it reported
            if (verdict.Result == StageResult.Failed && verdict.ExitCode == StageSettings.VerifyNotPublishedExitCode)
            {
                _folder.Reviewed(stage.Name, "its verify command says it did not publish");
                _context.Observer.Note($"'{_planned.Book}': {what}; its verify command says it did not publish, so it runs again.");
                return null;
            }
            return new StageOutcome(StageResult.Review, null, what + $", and its verify command could not tell ({verdict.Error ?? verdict.Result.ToString()})");
        }

        /// <summary>
        /// The batch was stopped during <paramref name="stage"/>: what the book waits for because of it. Null when the
        /// stage cannot have published unseen (it publishes nothing, or it reported its URL); else the text of the doubt
        /// and whether a verify command can settle it next time (without one, the operator must).
        /// </summary>
        public (string What, bool Verifiable)? StoppedInDoubt(StageSettings stage)
        {
            var reported = StageOutputs.PublishedUrl(_folder.ReadOutputs(stage.Name)) != null;
            if (!stage.Publishing || reported) return null;
            return ($"stage '{stage.Name}' was stopped (the batch was interrupted) before it reported a URL", stage.Verify != null);
        }

        /// <summary>
        /// Every stage succeeded, but none reported a <c>youtube_url</c> while the settings require one (by default, a
        /// pipeline with a publishing stage): the book must not be silently done without its video. Returns the stage
        /// to review and why, after a warning that says what to do; null when the book may be done.
        /// </summary>
        public (StageSettings Stage, string Why)? MissingRequiredUrl()
        {
            var outputs = _folder.Details.Stages.Where(s => s.Outputs != null).Select(s => s.Outputs!);
            if (!_context.Settings.RequireUrl || outputs.Any(o => StageOutputs.PublishedUrl(o) != null)) return null;
            var stages = _context.Settings.Stages;
            var stage = stages.LastOrDefault(s => s.Publishing) ?? stages[stages.Count - 1];
            var why = "every stage succeeded, but none reported a youtube_url, and bookbatch.json requires one (\"requireUrl\", " +
                      "true by default for a pipeline with a publishing stage)";
            _context.Observer.Warning($"'{_planned.Book}': {why}. It is not recorded as done. If it was published, record it: " +
                $"Complete-Book '{_planned.Book.Title}' -YouTubeUrl <url>; if the pipeline publishes nothing, set \"requireUrl\": false in bookbatch.json.");
            return (stage, why);
        }
    }
}
