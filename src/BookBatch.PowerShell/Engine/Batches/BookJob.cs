using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// One book's work in a batch: its run folder, the stages it still owes, each attempt with retries, and the
    /// ledger written when it starts and when it ends (DESIGN 3-4).
    /// </summary>
    internal sealed class BookJob
    {
        private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
        private readonly BatchContext _context;
        private readonly List<string> _stagesRun = new();
        private readonly Random _jitter;
        private string? _note;

        public BookJob(BatchContext context, PlannedBook planned)
        {
            _context = context;
            Planned = planned;
            _jitter = new Random(unchecked(Environment.TickCount * 31 + planned.Index));
        }

        public PlannedBook Planned { get; }
        public RunFolder? Folder { get; private set; }
        public DateTimeOffset Started { get; private set; }

        private IEnumerable<StageSettings> Stages => _context.Settings.Stages;

        /// <summary>
        /// Records the book as processing with its run folder (a new one, unless it resumes one that is still there).
        /// Returns a result instead when the ledger says another batch finished the book since the plan.
        /// </summary>
        public BookBatchResult? Begin()
        {
            Started = DateTimeOffset.Now;
            var names = Stages.Select(s => s.Name).ToList();
            var ledger = _context.Store.Read();
            var entry = ledger.Find(Planned.Book).Entry;
            if (entry?.State == BookState.Done && !_context.Options.Force)
                return Result(BookOutcome.Skipped, "completed by another batch since the plan", null);

            if (Planned.Action == BookAction.Resume && entry != null)
            {
                Folder = RunFolder.Open(_context.Workspace, entry.RunFolder, names);
                if (Folder is null)
                    _note = entry.RunFolder is null
                        ? "it had no run folder; started a new one"
                        : $"its run folder '{entry.RunFolder}' was gone; started a new one";
            }
            Folder ??= RunFolder.Create(_context.Workspace, Planned.Book, names, DateTime.Now);

            var folderName = Folder.Name;
            _context.Store.Update(l =>
            {
                var recorded = l.Find(Planned.Book).Entry ?? l.Add(Planned.Book, DateTime.Now);
                recorded.StatusText = LedgerKeys.StatusProcessing;
                recorded.RunFolder = folderName;
                recorded.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
                return (true, 0);
            });
            _context.Observer.BookStarted(Planned, Folder.FullPath, _note);
            if (_note != null) _context.Observer.Note($"'{Planned.Book}': {_note}.");
            return null;
        }

        /// <summary>
        /// Runs one stage to the end: success, failure after its retries, time-out, or cancellation. A stage whose
        /// outputs file already reports a published URL is not run again (it published before a crash).
        /// </summary>
        public async Task<StageOutcome> RunStageAsync(StageSettings stage, int stageNumber, CancellationToken cancellation)
        {
            var folder = Folder!;
            var recovered = folder.ReadOutputs(stage.Name);
            if (recovered != null && recovered.TryGetValue("youtube_url", out var url) && !string.IsNullOrEmpty(url))
            {
                folder.Recovered(stage.Name, recovered);
                _context.Observer.Note($"'{Planned.Book}': stage '{stage.Name}' already published {url}; it is not run again.");
                return new StageOutcome(StageResult.Succeeded, null, null);
            }

            var runner = _context.Runners(stage);
            var firstAttempt = folder.Details.Stage(stage.Name).Attempts.Count + 1;
            StageOutcome outcome = new(StageResult.Failed, null, "not run");
            for (var retry = 0; retry <= stage.Retries; retry++)
            {
                var attempt = firstAttempt + retry;
                if (retry > 0 && !await Backoff(stage, retry, cancellation).ConfigureAwait(false))
                    return new StageOutcome(StageResult.Canceled, null, "stopped while waiting to retry");
                var started = DateTimeOffset.Now;
                folder.AttemptStarted(stage.Name, attempt, _context.BatchId, started);
                if (!_stagesRun.Contains(stage.Name)) _stagesRun.Add(stage.Name);
                _context.Observer.StageStarted(Planned, stage.Name, stageNumber, _context.Settings.Stages.Count, attempt);
                var invocation = new StageInvocation(stage, Planned.Book, _context.Workspace.Root, folder.FullPath,
                    _context.Options.Privacy, attempt, folder.LogPath(stage.Name), folder.OutputsPath(stage.Name));
                System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(invocation.OutputsPath)!);
                try
                {
                    outcome = await runner.RunAsync(invocation, cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    outcome = new StageOutcome(StageResult.Failed, null, $"{e.GetType().Name}: {e.Message}");
                }
                if (outcome.Result == StageResult.Failed && cancellation.IsCancellationRequested)
                    outcome = new StageOutcome(StageResult.Canceled, outcome.ExitCode, outcome.Error);
                var outputs = outcome.Result == StageResult.Succeeded ? folder.ReadOutputs(stage.Name) : null;
                folder.AttemptEnded(stage.Name, outcome, DateTimeOffset.Now, outputs);
                _context.Journal.Stage(Planned, stage.Name, attempt, outcome, started);
                _context.Observer.StageEnded(Planned, stage.Name, attempt, outcome);
                if (outcome.Result is StageResult.Succeeded or StageResult.Canceled) return outcome;
            }
            return outcome;
        }

        // Exponential back-off with jitter: RetryDelay × 2^(retry-1) × [0.5, 1.5), capped.
        private async Task<bool> Backoff(StageSettings stage, int retry, CancellationToken cancellation)
        {
            var factor = Math.Pow(2, retry - 1) * (0.5 + _jitter.NextDouble());
            var delay = TimeSpan.FromMilliseconds(Math.Min(stage.RetryDelay.TotalMilliseconds * factor, MaxRetryDelay.TotalMilliseconds));
            try
            {
                await Task.Delay(delay, cancellation).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        /// <summary>Writes the end of the book to the ledger and makes its result.</summary>
        public BookBatchResult Finish(StageOutcome? failure, string? failedStage, bool interrupted, bool timedOut)
        {
            if (interrupted)
                return Result(BookOutcome.Skipped, failedStage is null ? "interrupted" : $"interrupted during stage '{failedStage}'", null);

            if (failure is null)
            {
                var outputs = Folder!.Details.Stages.Where(s => s.Outputs != null).SelectMany(s => s.Outputs!).ToList();
                string? Output(string key) => outputs.LastOrDefault(o => o.Key == key && !string.IsNullOrEmpty(o.Value)).Value;
                var youtube = Output("youtube_url");
                var shortUrl = Output("short_url");
                _context.Store.Update(l =>
                {
                    var entry = l.Find(Planned.Book).Entry ?? l.Add(Planned.Book, DateTime.Now);
                    entry.StatusText = LedgerKeys.StatusDone;
                    if (youtube != null) entry.YouTubeUrl = youtube;
                    if (shortUrl != null) entry.ShortUrl = shortUrl;
                    entry.RunFolder = Folder.Name;
                    entry.LastError = null;
                    entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
                    return (true, 0);
                });
                return Result(Planned.Action == BookAction.Resume ? BookOutcome.Resumed : BookOutcome.Success, _note, null, youtube, shortUrl);
            }

            var error = timedOut
                ? $"the book timed out after {_context.Options.BookTimeout.TotalSeconds:0.#} s during stage '{failedStage}'"
                : $"stage '{failedStage}' failed: {failure.Error}";
            _context.Store.Update(l =>
            {
                var entry = l.Find(Planned.Book).Entry;
                if (entry is null) return (false, 0);
                entry.LastError = error;
                entry.UpdatedAt = LedgerKeys.Timestamp(DateTime.Now);
                return (true, 0);
            });
            return Result(BookOutcome.Failed, _note, error);
        }

        public BookBatchResult Result(BookOutcome outcome, string? reason, string? error, string? youtube = null, string? shortUrl = null) =>
            new(_context.BatchId, Planned.Index, Planned.Book.Title, Planned.Book.Author, outcome, reason, error,
                youtube ?? (outcome == BookOutcome.Skipped ? Planned.Status.YouTubeUrl : null),
                shortUrl ?? (outcome == BookOutcome.Skipped ? Planned.Status.ShortUrl : null),
                Folder?.Name ?? Planned.Status.RunFolder, _stagesRun.ToArray(),
                Started == default ? DateTimeOffset.Now : Started, DateTimeOffset.Now);
    }
}
