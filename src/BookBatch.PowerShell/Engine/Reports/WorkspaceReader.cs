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
    /// Reads a workspace as it is — journals and run details from its files; the ledger, the holders of books and the
    /// rate windows through its coordination, as last written — into a <see cref="WorkspaceSnapshot"/>, again and again, without ever taking a lock a batch waits for:
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
            var (ledger, ledgerProblem) = ReadLedger();
            snapshot.Problem = settingsProblem ?? ledgerProblem;
            var stages = settings?.Stages ?? Array.Empty<StageSettings>();
            var journals = ReadJournals();
            var running = new HashSet<string>(journals.Where(j => j.Totals.Running()).Select(j => j.Totals.Id), StringComparer.Ordinal);
            var work = new RunningWork(_workspace, _coordination, (_details, _summaries), stages, ledger, now, Durations(journals));
            work.Read(running);
            snapshot.Stages = work.Stages;
            snapshot.Books = work.Books;
            var first = true;
            foreach (var journal in journals.Take(_detailed))
            {
                snapshot.Batches.Add(Detail(journal, running.Contains(journal.Totals.Id), first, work.RunningAttempts, stages, now));
                first = false;
            }
            snapshot.History = History(journals);
            snapshot.FailingBooks = RepeatFailures(journals);
            snapshot.Workers = _coordination.Queue.Workers().ToList();
            snapshot.QueuePausedSince = _coordination.Queue.PausedSince();
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
            var (ledger, _) = ReadLedger();
            var work = new RunningWork(_workspace, _coordination, (_details, _summaries), stages, ledger, now, new Dictionary<string, TimeSpan>());
            if (running) work.Read(new HashSet<string> { record.Id });
            var timeline = Timeline.Of(record, work.RunningAttempts.Where(a => a.Batch == record.Id).Select(a => a.Attempt), StageNames(stages, record), now);
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

        // The ledger as last written, through the coordination: never a lock a batch holds; a damaged one is a problem to show.
        private (BookLedger Ledger, string? Problem) ReadLedger()
        {
            try { return (_coordination.Ledger.ReadAsWritten(), null); }
            catch (LedgerCorruptException e) { return (BookLedger.Empty(), e.Message); }
        }
    }
}
