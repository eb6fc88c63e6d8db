using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Reports
{
    /// <summary>The books held by the running batches, what each does or waits for, and the stages' places and windows.</summary>
    internal sealed class RunningWork
    {
        private readonly Workspace _workspace;
        private readonly IWorkspaceCoordination _coordination;
        private readonly FileCache<RunDetails?> _details;
        private readonly FileCache<RunSummary?> _summaries;
        private readonly IReadOnlyList<StageSettings> _stages;
        private readonly BookLedger _ledger;
        private readonly DateTimeOffset _now;
        private readonly Dictionary<string, TimeSpan> _durations;
        private readonly Dictionary<string, int> _inUse = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (int Starts, DateTimeOffset Opening)> _windows = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// What is in flight in <paramref name="workspace"/> at <paramref name="now"/>; run details and summaries are read
        /// through the reader's caches, ETAs are made of <paramref name="durations"/>.
        /// </summary>
        public RunningWork(Workspace workspace, IWorkspaceCoordination coordination, (FileCache<RunDetails?> Details, FileCache<RunSummary?> Summaries) caches,
            IReadOnlyList<StageSettings> stages, BookLedger ledger, DateTimeOffset now, Dictionary<string, TimeSpan> durations)
        {
            _workspace = workspace;
            _coordination = coordination;
            (_details, _summaries) = caches;
            _stages = stages;
            _ledger = ledger;
            _now = now;
            _durations = durations;
        }

        public List<StageView> Stages { get; } = new();
        public List<BookView> Books { get; } = new();
        public List<(string Batch, AttemptRecord Attempt)> RunningAttempts { get; } = new();

        public void Read(HashSet<string> runningBatches)
        {
            var held = new List<(LeaseHolder Holder, Book Book, string? Folder, RunDetails? Details)>();
            foreach (var holder in _coordination.WrittenHolders())
            {
                if (!runningBatches.Contains(holder.Batch)) continue;
                if (BookListParser.ParseLine(holder.Book).Book is not Book book) continue;
                var folder = _workspace.RunFolderPath(_ledger.Find(book).Entry?.RunFolder);
                var details = folder is null ? null : _details.Get(Path.Combine(folder, RunDetailsLog.FileName), _ => RunFolder.ReadDetails(folder), null);
                held.Add((holder, book, folder, details));
                if (details != null) CountRunning(holder, book, details);
            }
            foreach (var stage in _stages)
            {
                var window = _coordination.RateOf(stage).Peek(_now);
                _windows[stage.Name] = window;
                Stages.Add(new StageView
                {
                    Name = stage.Name, Concurrency = stage.Concurrency, InUse = _inUse.TryGetValue(stage.Name, out var n) ? n : 0, Publishing = stage.Publishing,
                    Rate = stage.Rate is StageRate rate ? $"{rate.Starts} per {Seconds(rate.Window)}" : null,
                    StartsInWindow = window.Item1, ClosedUntil = window.Item2 > _now ? window.Item2 : null,
                });
            }
            foreach (var (holder, book, folder, details) in held.OrderBy(h => h.Holder.Since)) Books.Add(ViewOf(holder, book, folder, details));
            foreach (var entry in _ledger.Books.Where(e => !string.IsNullOrEmpty(e.Review)).Take(50))
                Books.Add(new BookView { Title = entry.Book.Title, Author = entry.Book.Author, State = "review", Stage = entry.Review, Text = $"Review: did {entry.Review} publish? (Complete-Book or Reset-Book -FromStage {entry.Review})" });
        }

        private void CountRunning(LeaseHolder holder, Book book, RunDetails details)
        {
            foreach (var stage in details.Stages)
                foreach (var attempt in stage.Attempts)
                {
                    if (attempt.Ended != null || attempt.Batch != holder.Batch) continue;
                    _inUse[stage.Name] = (_inUse.TryGetValue(stage.Name, out var n) ? n : 0) + 1;
                    RunningAttempts.Add((holder.Batch, new AttemptRecord { Book = book.ToString(), Stage = stage.Name, Attempt = attempt.Attempt, Started = attempt.Started }));
                }
        }

        private BookView ViewOf(LeaseHolder holder, Book book, string? folder, RunDetails? details)
        {
            var view = new BookView { Batch = holder.Batch, Title = book.Title, Author = book.Author, Elapsed = Math.Max(0, (_now - holder.Since).TotalSeconds) };
            var running = details?.Stages.SelectMany(s => s.Attempts.Select(a => (Stage: s.Name, Attempt: a)))
                .LastOrDefault(a => a.Attempt.Ended is null && a.Attempt.Batch == holder.Batch);
            if (running is { Stage: not null } r)
            {
                view.State = "running";
                view.Stage = r.Stage;
                view.Text = $"{r.Stage}, attempt {r.Attempt.Attempt}, for {Seconds(_now - r.Attempt.Started)}";
                view.Eta = Eta(r.Stage, _now - r.Attempt.Started);
                return view;
            }
            var next = NextStage(folder, details);
            view.Stage = next?.Name;
            view.Eta = next is null ? null : Eta(next.Name, TimeSpan.Zero);
            if (next is null) return Set(view, "queued", "finishing");
            var attempts = details?.Stage(next.Name).Attempts ?? new List<AttemptDetails>();
            var last = attempts.LastOrDefault();
            var failures = attempts.Count(a => a.Batch == holder.Batch && Verdict(next, a, 0)?.Kind is VerdictKind.Retry or VerdictKind.Failed);
            if (last?.Batch == holder.Batch && Verdict(next, last, failures - 1) is { Kind: VerdictKind.Retry, At: DateTimeOffset retryAt })
                return Set(view, "retry", $"retry {failures} of {next.Retries} of {next.Name} in about {Seconds(retryAt > _now ? retryAt - _now : TimeSpan.Zero)} ({last.Error})");
            if (_windows.TryGetValue(next.Name, out var window) && window.Opening > _now)
                return Set(view, "quota", $"quota of {next.Name} until {window.Opening.ToLocalTime():yyyy-MM-dd HH:mm:ss}");
            var inUse = _inUse.TryGetValue(next.Name, out var n) ? n : 0;
            if (next.Concurrency > 0 && inUse >= next.Concurrency)
                return Set(view, "slot", $"a place of {next.Name} ({inUse} of {next.Concurrency} in use)");
            return Set(view, "queued", $"next: {next.Name}");
        }

        // What the scheduler decided when an ended attempt came back (at the back-off's mean jitter); null while it runs.
        private static AttemptVerdict? Verdict(StageSettings stage, AttemptDetails attempt, int failuresBefore) =>
            attempt.Ended is DateTimeOffset ended && Enum.TryParse<StageResult>(attempt.Result, out var result)
                ? AttemptVerdict.Of(new StageOutcome(result, attempt.ExitCode, attempt.Error), stage, failuresBefore, false, ended, 1.0)
                : null;

        private static BookView Set(BookView view, string state, string text)
        {
            view.State = state;
            view.Text = text;
            return view;
        }

        // The first stage, in pipeline order, whose state (summary.json with the later ends of the details) is not success.
        private StageSettings? NextStage(string? folder, RunDetails? details)
        {
            var summary = folder is null ? null : _summaries.Get(Path.Combine(folder, RunSummary.FileName), ReadSummary, null);
            var states = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (summary != null) foreach (var stage in summary.Stages) states[stage] = summary.StateOf(stage);
            if (details != null) foreach (var (stage, state) in details.Unsummarized) states[stage] = state;
            return _stages.FirstOrDefault(s => !states.TryGetValue(s.Name, out var state) || state != StageStateText.Success);
        }

        private double? Eta(string stage, TimeSpan elapsedInStage)
        {
            var index = _stages.ToList().FindIndex(s => string.Equals(s.Name, stage, StringComparison.OrdinalIgnoreCase));
            if (index < 0) return null;
            var total = TimeSpan.Zero;
            for (var i = index; i < _stages.Count; i++)
            {
                if (!_durations.TryGetValue(_stages[i].Name, out var mean)) return null;
                total += i == index ? (mean > elapsedInStage ? mean - elapsedInStage : TimeSpan.Zero) : mean;
            }
            return Math.Round(total.TotalSeconds, 1);
        }

        private static string Seconds(TimeSpan time) =>
            time.TotalSeconds < 120 ? $"{time.TotalSeconds:0} s" : time.TotalMinutes < 120 ? $"{time.TotalMinutes:0} min" : $"{time.TotalHours:0.#} h";

        private static RunSummary? ReadSummary(string path)
        {
            try { return RunSummary.Read(Path.GetDirectoryName(path)!); }
            catch (RunSummaryCorruptException) { return null; }
            catch (IOException) { return null; }
        }
    }
}
