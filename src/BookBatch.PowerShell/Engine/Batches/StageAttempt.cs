using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// One attempt of one stage of a book in flight: its record in the run folder (begun with its token before its
    /// process starts, its process once it runs, its end), the stage's run, the outputs it reported, and the end's
    /// fence (a store shared by servers records it only while the book is still held here). The book's
    /// <see cref="BookJob"/> makes one for each attempt the scheduler starts.
    /// </summary>
    internal sealed class StageAttempt
    {
        private readonly BatchContext _context;
        private readonly PlannedBook _planned;
        private readonly RunFolder _folder;
        private readonly PublicationRecovery _recovery;
        private readonly IHeldBook _lease;
        private readonly Func<int, int> _nextStage;
        private readonly Action<string> _ran;

        /// <summary>An attempt of the book <paramref name="planned"/>, held by <paramref name="lease"/>, in its run folder <paramref name="folder"/>; its
        /// <paramref name="recovery"/> settles a publication cut off before; <paramref name="nextStage"/> gives the index of the book's
        /// first stage from a given index on that has not succeeded; <paramref name="ran"/> is told the stage runs (not when it
        /// had published before); <paramref name="context"/> is the batch's.</summary>
        public StageAttempt(BatchContext context, PlannedBook planned, RunFolder folder, PublicationRecovery recovery, IHeldBook lease, Func<int, int> nextStage,
            Action<string> ran)
        {
            _context = context;
            _planned = planned;
            _folder = folder;
            _recovery = recovery;
            _lease = lease;
            _nextStage = nextStage;
            _ran = ran;
        }

        /// <summary>
        /// Runs one attempt of a stage. A stage whose outputs file already reports a published URL is not run again
        /// (it published before a crash). The stage's defer exit code makes the outcome Deferred.
        /// </summary>
        /// <param name="stage">The stage.</param>
        /// <param name="stageNumber">Its 1-based place in the pipeline (for progress).</param>
        /// <param name="cancellation">Stops the attempt (Ctrl+C, the book's time-out).</param>
        /// <param name="processLaunching">Called with the attempt's token and run folder just before its process starts (its place records it).</param>
        /// <param name="processStarted">Called with the stage's process once it runs (its place records it).</param>
        /// <param name="processEnded">Called once, as soon as the stage's process has ended (before its last output is
        /// collected and its end recorded), so the scheduler can hand the stage's slot to the next book meanwhile.</param>
        /// <exception cref="RunFolderIOException">The run folder could not be read or written: an error of this book alone.</exception>
        public async Task<StageOutcome> RunAsync(StageSettings stage, int stageNumber, CancellationToken cancellation,
            Action<StageAttemptMark> processLaunching, Action<ProcessIdentity> processStarted, Action processEnded)
        {
            var ended = 0;
            void EndedOnce()
            {
                if (Interlocked.Exchange(ref ended, 1) == 0) processEnded();
            }
            try
            {
                return await AttemptAsync(stage, stageNumber, cancellation, processLaunching, processStarted, EndedOnce).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                EndedOnce();
                throw RunFolderIOException.From(_folder.FullPath, e);
            }
        }

        private async Task<StageOutcome> AttemptAsync(StageSettings stage, int stageNumber, CancellationToken cancellation,
            Action<StageAttemptMark> processLaunching, Action<ProcessIdentity> processStarted, Action processEnded)
        {
            var folder = _folder;
            // What earlier attempts recorded is written while this one runs, and must be on disk before its end is.
            var recordedBefore = folder.Written;
            var settled = await _recovery.BeforeAttemptAsync(stage, cancellation, processEnded).ConfigureAwait(false);
            if (settled != null) return settled;

            var attempt = folder.Details.Stage(stage.Name).Attempts.Count + 1;
            _ran(stage.Name);
            var started = _context.Clock.Now; // the attempt's start is when BookBatch began it, its process's start included
            // A process stage's attempt is recorded with its token just before its process starts, and the process once
            // it runs, so that no process of it runs unrecorded whenever the host dies (docs/DECISIONS.md); a script stage's (which
            // runs in this process) once it runs; a stage that could not start is recorded below, before its end.
            var launched = false;
            var invocation = new StageInvocation(stage, _planned.Book, _context.Workspace.Root, folder.FullPath,
                _context.Options.Privacy, attempt, folder.LogPath(stage.Name), folder.OutputsPath(stage.Name), process =>
                {
                    if (process is ProcessIdentity running)
                    {
                        if (launched) folder.AttemptProcess(stage.Name, running);
                        processStarted(running);
                    }
                    if (!launched) folder.AttemptStarted(stage.Name, attempt, _context.BatchId, started, process);
                    _context.Observer.StageStarted(_planned, stage.Name, stageNumber, _context.Settings.Stages.Count, attempt);
                }, processEnded, token =>
                {
                    launched = true;
                    processLaunching(new StageAttemptMark(token, folder.Name, attempt));
                    folder.AttemptStarted(stage.Name, attempt, _context.BatchId, started, null, token);
                });
            StageOutcome outcome;
            try
            {
                outcome = await _context.Runners(stage).RunAsync(invocation, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_lease.Lost.IsCancellationRequested)
            {
                // The book was lost before its stage's process started: nothing ran, and nothing is recorded.
                throw new BookHoldLostException(_planned.Book.ToString());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome = new StageOutcome(StageResult.Failed, null, $"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                invocation.NotifyEnded();
            }
            invocation.NotifyStarted();
            Dictionary<string, string?>? outputs;
            (outcome, outputs) = await AttemptEnd.ReadAsync(_context, _planned, folder, stage, outcome, cancellation).ConfigureAwait(false);
            var ended = _context.Clock.Now;
            await recordedBefore.ConfigureAwait(false);
            // A store shared by servers cannot fence the run folder: its end is recorded only while the book is still
            // held here; a holder that lost it (a freeze, a cut) leaves the end to the book's new holder.
            if (_context.Coordination.FencesHeldWrites && !_lease.IsStillHeld())
            {
                // The end is the book's new holder's to record; that the process is over is this one's to say, so that
                // the new holder need not wait for this server's watchdog.
                folder.AttemptGone(stage.Name, "its batch lost the book while it ran, and ended it");
                invocation.NotifyRecorded();
                throw new BookHoldLostException(_planned.Book.ToString());
            }
            folder.AttemptEnded(stage.Name, outcome, ended, outputs);
            invocation.NotifyRecorded();
            _context.Journal.Stage(_planned, stage.Name, attempt, outcome, started);
            _context.Observer.StageEnded(_planned, stage.Name, attempt, outcome);
            // Only a next stage may start before summary.json has this end; anything else (the book's end, a retry's
            // back-off, a stop) waits for it.
            if (outcome.Result != StageResult.Succeeded || _nextStage(stageNumber) >= _context.Settings.Stages.Count)
                await folder.FlushSummary().ConfigureAwait(false);
            return outcome;
        }
    }
}
