using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Reports
{
    /// <summary>
    /// Reads a workspace's files as they are — journals, run details, the ledger, the holders of books, the rate
    /// windows — into a <see cref="WorkspaceSnapshot"/>, again and again, without ever taking a lock a batch waits for:
    /// files are opened to read with every sharing allowed, half-written lines are left for the next read, and the lock
    /// files of books and places are never opened (a place in use is an attempt running). What is kept between reads is
    /// bounded: the latest batches in detail, the totals of the others, and only the files the last read needed.
    /// </summary>
    public sealed class WorkspaceReader
    {
        private readonly Workspace _workspace;
        private readonly IWorkspaceCoordination _coordination;
        private readonly int _detailed;
        private readonly int _timelineRows;
        private readonly Dictionary<string, Journal> _journals = new(StringComparer.Ordinal);
        private readonly FileCache<(PipelineSettings? Settings, string? Problem)> _settings = new();
        private readonly FileCache<(BookLedger? Ledger, string? Problem)> _ledger = new();
        private readonly FileCache<RunDetails?> _details = new();
        private readonly FileCache<RunSummary?> _summaries = new();

        /// <summary>A reader of a workspace that details the latest <paramref name="detailedBatches"/> batches and draws at most <paramref name="timelineRows"/> rows of a timeline.</summary>
        public WorkspaceReader(Workspace workspace, IWorkspaceCoordination coordination, int detailedBatches = 8, int timelineRows = 200)
        {
            _workspace = workspace;
            _coordination = coordination;
            _detailed = Math.Max(1, detailedBatches);
            _timelineRows = timelineRows;
        }

        private sealed class Journal
        {
            public long Length;
            public DateTime Written;
            public BatchRecord? Detail;
            public BatchTotals Totals = null!;
            public BatchView? View; // an ended batch's view, as last drawn
        }

        /// <summary>How many journals are kept in detail (the rest only as totals).</summary>
        internal int KeptInDetail => _journals.Values.Count(j => j.Detail != null);

        /// <summary>Reads the workspace as it is now.</summary>
        public WorkspaceSnapshot Read(DateTimeOffset now)
        {
            var snapshot = new WorkspaceSnapshot { Taken = now, Workspace = _workspace.Root };
            var (settings, settingsProblem) = _settings.Get(_workspace.SettingsPath, ReadSettings, (null, null));
            var (ledger, ledgerProblem) = _ledger.Get(_workspace.DatabasePath, ReadLedger, (BookLedger.Empty(), null));
            snapshot.Problem = settingsProblem ?? ledgerProblem;
            var stages = settings?.Stages ?? Array.Empty<StageSettings>();
            var journals = ReadJournals();
            var running = new HashSet<string>(journals.Where(j => j.Totals.Running()).Select(j => j.Totals.Id), StringComparer.Ordinal);
            var flights = new InFlight(this, stages, ledger ?? BookLedger.Empty(), now, Durations(journals));
            flights.Read(running);
            snapshot.Stages = flights.Stages;
            snapshot.Books = flights.Books;
            var first = true;
            foreach (var journal in journals.Take(_detailed))
            {
                snapshot.Batches.Add(Detail(journal, running.Contains(journal.Totals.Id), first, flights.RunningAttempts, stages, now));
                first = false;
            }
            snapshot.History = History(journals);
            snapshot.FailingBooks = RepeatFailures(journals);
            var publishing = stages.FirstOrDefault(s => s.Publishing);
            if (publishing?.Rate is StageRate rate) snapshot.QuotaPerDay = Math.Round(rate.Starts * TimeSpan.FromDays(1).TotalSeconds / rate.Window.TotalSeconds, 1);
            _details.Sweep();
            _summaries.Sweep();
            return snapshot;
        }

        /// <summary>The timeline of one batch, all its rows, with the attempts running now; null when it has no journal.</summary>
        public (BatchView Batch, Timeline Timeline)? ReadBatch(string id, DateTimeOffset now)
        {
            var path = BatchJournals.Find(_workspace, id);
            if (path is null) return null;
            var record = new BatchRecord(BatchJournals.IdOf(Path.GetFileName(path))!, path);
            record.ReadMore();
            var totals = BatchTotals.Of(record);
            var running = totals.Running();
            var (settings, _) = _settings.Get(_workspace.SettingsPath, ReadSettings, (null, null));
            var stages = settings?.Stages ?? Array.Empty<StageSettings>();
            var (ledger, _) = _ledger.Get(_workspace.DatabasePath, ReadLedger, (BookLedger.Empty(), null));
            var flights = new InFlight(this, stages, ledger ?? BookLedger.Empty(), now, new Dictionary<string, TimeSpan>());
            if (running) flights.Read(new HashSet<string> { record.Id });
            var timeline = Timeline.Of(record, flights.RunningAttempts.Where(a => a.Batch == record.Id).Select(a => a.Attempt), StageNames(stages, record), now);
            var view = totals.View(running);
            view.Failures = Failures(record);
            return (view, timeline);
        }

        private List<Journal> ReadJournals()
        {
            var ids = BatchJournals.Ids(_workspace);
            var seen = new HashSet<string>(ids, StringComparer.Ordinal);
            foreach (var gone in _journals.Keys.Where(k => !seen.Contains(k)).ToList()) _journals.Remove(gone);
            var list = new List<Journal>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                var journal = ReadJournal(ids[i], detailed: i < _detailed);
                if (journal != null) list.Add(journal);
            }
            return list;
        }

        private Journal? ReadJournal(string id, bool detailed)
        {
            var path = BatchJournal.PathOf(_workspace, id);
            var file = new FileInfo(path);
            if (!file.Exists) return null;
            _journals.TryGetValue(id, out var journal);
            var changed = journal is null || journal.Length != file.Length || journal.Written != file.LastWriteTimeUtc;
            if (journal != null && !changed && (journal.Detail != null || !detailed))
            {
                if (!detailed) (journal.Detail, journal.View) = (null, null); // out of the latest: its totals are enough
                return journal;
            }
            journal ??= new Journal();
            var record = detailed ? journal.Detail ?? new BatchRecord(id, path) : new BatchRecord(id, path);
            try { record.ReadMore(); }
            catch (IOException) { if (journal.Totals is null) return null; return journal; }
            catch (UnauthorizedAccessException) { if (journal.Totals is null) return null; return journal; }
            journal.Length = file.Length;
            journal.Written = file.LastWriteTimeUtc;
            journal.Detail = detailed ? record : null;
            journal.Totals = BatchTotals.Of(record);
            journal.View = null;
            _journals[id] = journal;
            return journal;
        }

        // A batch's view: its timeline drawn for the newest batch and the running ones. An ended batch's view is kept
        // with its journal and drawn again only when the journal changes.
        private BatchView Detail(Journal journal, bool running, bool newest, List<(string Batch, AttemptRecord Attempt)> attempts, IReadOnlyList<StageSettings> stages, DateTimeOffset now)
        {
            var drawn = running || newest;
            if (!running && journal.View != null && (journal.View.TimelineHtml != null) == drawn) return journal.View;
            var view = journal.Totals.View(running);
            if (journal.Detail is not BatchRecord record) return view;
            view.Failures = Failures(record);
            if (drawn)
            {
                var live = attempts.Where(a => a.Batch == record.Id).Select(a => a.Attempt);
                view.TimelineHtml = TimelineHtml.Render(Timeline.Of(record, live, StageNames(stages, record), running ? now : record.LastEvent ?? now, _timelineRows));
            }
            journal.View = running ? null : view;
            return view;
        }

        private static IEnumerable<string> StageNames(IReadOnlyList<StageSettings> stages, BatchRecord record) =>
            stages.Select(s => s.Name).Concat(record.Attempts.Select(a => a.Stage)).Distinct(StringComparer.OrdinalIgnoreCase);

        private List<FailureView> Failures(BatchRecord record)
        {
            var failures = new List<FailureView>();
            var failedAttempt = new Dictionary<string, AttemptRecord>(StringComparer.Ordinal); // each book's last attempt that did not succeed
            foreach (var attempt in record.Attempts) if (attempt.Result != "Succeeded") failedAttempt[attempt.Book] = attempt;
            foreach (var result in record.Results.Where(r => r.Outcome == BookOutcome.Failed))
            {
                var book = new Book(result.Title, result.Author).ToString();
                var failed = failedAttempt.TryGetValue(book, out var last) ? last : null;
                // The stage's name comes from a journal any tool may have written: never a path out of the run folder.
                var log = failed is null ? null : Runs.RunFolder.LogPath(_workspace, result.RunFolder, failed.Stage);
                var tail = failures.Count < 20 && log != null ? LogTail.Read(log, failed!.Attempt) : null;
                failures.Add(new FailureView { Book = book, Stage = failed?.Stage, Error = result.Error ?? result.Reason, LogTail = tail });
            }
            return failures;
        }

        // The mean duration of each stage's succeeded attempts in the latest batches: what an ETA is made of.
        private static Dictionary<string, TimeSpan> Durations(List<Journal> journals) =>
            journals.Where(j => j.Detail != null).SelectMany(j => j.Detail!.Attempts)
                .Where(a => a.Result == "Succeeded" && a.Ended != null)
                .GroupBy(a => a.Stage, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => TimeSpan.FromMilliseconds(g.Average(a => (a.Ended!.Value - a.Started).TotalMilliseconds)), StringComparer.OrdinalIgnoreCase);

        private static List<DayView> History(List<Journal> journals) =>
            journals.Where(j => j.Totals.Started != null)
                .GroupBy(j => j.Totals.Started!.Value.ToLocalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                .OrderByDescending(g => g.Key, StringComparer.Ordinal).Take(30)
                .Select(g => new DayView
                {
                    Day = g.Key, Batches = g.Count(), Books = g.Sum(j => j.Totals.Finished), Published = g.Sum(j => j.Totals.Success + j.Totals.Resumed),
                    Failed = g.Sum(j => j.Totals.Failed), Ids = g.Select(j => j.Totals.Id).Take(20).ToList(),
                }).ToList();

        private static List<RepeatFailure> RepeatFailures(List<Journal> journals) =>
            journals.SelectMany(j => j.Totals.Failures) // newest batch first
                .GroupBy(f => f.Book, StringComparer.OrdinalIgnoreCase)
                .Where(g => g.Count() > 1)
                .Select(g => new RepeatFailure { Book = g.Key, Failures = g.Count(), LastError = g.First().Error })
                .OrderByDescending(f => f.Failures).ThenBy(f => f.Book, StringComparer.OrdinalIgnoreCase).Take(20).ToList();

        private (PipelineSettings?, string?) ReadSettings(string path)
        {
            try { return (PipelineSettings.Load(path, _workspace.Root), null); }
            catch (SettingsInvalidException e) { return (null, e.Message); }
            catch (IOException e) { return (null, e.Message); }
        }

        private static (BookLedger?, string?) ReadLedger(string path)
        {
            var bytes = AtomicFile.ReadBytes(path);
            if (bytes is null) return (BookLedger.Empty(), null);
            try { return (LedgerJson.Parse(bytes, path), null); }
            catch (LedgerCorruptException e) { return (null, e.Message); }
        }

        private static RunSummary? ReadSummary(string path)
        {
            try { return RunSummary.Read(Path.GetDirectoryName(path)!); }
            catch (RunSummaryCorruptException) { return null; }
            catch (IOException) { return null; }
        }

        /// <summary>The books held by the running batches, what each does or waits for, and the stages' places and windows.</summary>
        private sealed class InFlight
        {
            private readonly WorkspaceReader _reader;
            private readonly IReadOnlyList<StageSettings> _stages;
            private readonly BookLedger _ledger;
            private readonly DateTimeOffset _now;
            private readonly Dictionary<string, TimeSpan> _durations;
            private readonly Dictionary<string, int> _inUse = new(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, (int Starts, DateTimeOffset Opening)> _windows = new(StringComparer.OrdinalIgnoreCase);

            public InFlight(WorkspaceReader reader, IReadOnlyList<StageSettings> stages, BookLedger ledger, DateTimeOffset now, Dictionary<string, TimeSpan> durations)
            {
                _reader = reader;
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
                foreach (var holder in _reader._coordination.WrittenHolders())
                {
                    if (!runningBatches.Contains(holder.Batch)) continue;
                    if (BookListParser.ParseLine(holder.Book).Book is not Book book) continue;
                    var folder = _reader._workspace.RunFolderPath(_ledger.Find(book).Entry?.RunFolder);
                    var details = folder is null ? null : _reader._details.Get(Path.Combine(folder, RunDetailsLog.FileName), _ => RunFolder.ReadDetails(folder), null);
                    held.Add((holder, book, folder, details));
                    if (details != null) CountRunning(holder, book, details);
                }
                foreach (var stage in _stages)
                {
                    var window = _reader._coordination.RateOf(stage).Peek(_now);
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
                var summary = folder is null ? null : _reader._summaries.Get(Path.Combine(folder, RunSummary.FileName), ReadSummary, null);
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
        }
    }
}
