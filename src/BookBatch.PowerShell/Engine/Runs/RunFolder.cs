using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// One book's run folder: <c>summary.json</c> (the old system's stage map), <c>bookbatch-run.jsonl</c> (details),
    /// <c>logs/&lt;stage&gt;.log</c> and <c>outputs/&lt;stage&gt;.json</c>. The details get a line per attempt's start
    /// and end at once; <c>summary.json</c> is rewritten atomically, on the pool, at most once a second while the book
    /// runs and whenever it stops (<see cref="FlushSummary"/>).
    /// </summary>
    public sealed class RunFolder : IDisposable
    {
        private static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(1);
        private readonly object _appendGate = new(); // the details file gets lines from a stage's thread and the summary's writer
        private FileStream? _detailsFile;
        private int _lastChange;                       // the number of the last state change in the details
        private int? _unwritten;                       // the last change not in summary.json yet
        private DateTime _summaryWrittenAt = DateTime.MinValue;
        private Task _written = Task.CompletedTask;

        private RunFolder(string name, string path, RunSummary summary, RunDetails details)
        {
            Name = name;
            FullPath = path;
            Summary = summary;
            Details = details;
        }

        /// <summary>The folder's name under <c>runs/</c>, as the ledger records it.</summary>
        public string Name { get; }
        /// <summary>The folder's full path.</summary>
        public string FullPath { get; }
        /// <summary>The old system's stage map.</summary>
        public RunSummary Summary { get; }
        /// <summary>BookBatch's details.</summary>
        public RunDetails Details { get; }

        /// <summary>The log file of a stage.</summary>
        public string LogPath(string stage) => LogPath(FullPath, stage);

        /// <summary>The log file of a stage in a run folder's full path.</summary>
        public static string LogPath(string folderPath, string stage) => Path.Combine(folderPath, "logs", stage + ".log");

        /// <summary>
        /// The log file of a stage of a run folder named in the ledger (or a result), or null when the folder's or the
        /// stage's name is not a plain name: no path out of <c>runs/</c>.
        /// </summary>
        public static string? LogPath(Workspace workspace, string? runFolder, string stage) =>
            workspace.RunFolderPath(runFolder) is string folder && RunFolderName.IsPlainName(stage) ? LogPath(folder, stage) : null;

        /// <summary>The outputs file of a stage.</summary>
        public string OutputsPath(string stage) => Path.Combine(FullPath, "outputs", stage + ".json");

        /// <summary>True when <c>summary.json</c> says the stage succeeded.</summary>
        public bool Succeeded(string stage) => Summary.StateOf(stage) == StageStateText.Success;

        /// <summary>Makes a new, uniquely named run folder for a book, with every stage not run yet.</summary>
        public static RunFolder Create(Workspace workspace, Book book, IEnumerable<string> stages, DateTime now)
        {
            Directory.CreateDirectory(workspace.RunsPath);
            for (var suffix = 1; ; suffix++)
            {
                var name = RunFolderName.For(book, now, suffix);
                var path = Path.Combine(workspace.RunsPath, name);
                Directory.CreateDirectory(path);
                var details = new RunDetails { Title = book.Title, Author = book.Author, Created = new DateTimeOffset(now) };
                if (!RunDetailsLog.TryCreate(path, details)) continue;
                Directory.CreateDirectory(Path.Combine(path, "outputs"));
                var folder = new RunFolder(name, path, RunSummary.Read(path), details);
                folder.Summary.EnsureStages(stages);
                foreach (var stage in stages) details.Stage(stage);
                folder._unwritten = 0;
                folder.WriteSummary();
                return folder;
            }
        }

        /// <summary>Opens an existing run folder named in the ledger; null when the name is unsafe or the folder is gone.</summary>
        public static RunFolder? Open(Workspace workspace, string? name, IEnumerable<string> stages)
        {
            var path = workspace.RunFolderPath(name);
            if (path is null || !Directory.Exists(path)) return null;
            // First: a summary that cannot be read stops the book here, with nothing written to its folder.
            var summary = RunSummary.Read(path);
            var details = ReadDetails(path) ?? new RunDetails();
            // A folder the old system or an older BookBatch made gets the event file now, starting with what it had.
            RunDetailsLog.TryCreate(path, details);
            Directory.CreateDirectory(Path.Combine(path, "outputs"));
            var folder = new RunFolder(name!, path, summary, details) { _lastChange = details.LastChange };
            folder.Summary.EnsureStages(stages);
            // A batch that was stopped may have recorded states its summary.json did not get yet.
            if (details.ApplyTo(folder.Summary))
            {
                folder._unwritten = folder._lastChange;
                folder.WriteSummary();
            }
            return folder;
        }

        /// <summary>Reads the details (<c>bookbatch-run.jsonl</c>, or an older BookBatch's <c>bookbatch-run.json</c>); null when there are none (a folder the old system made).</summary>
        public static RunDetails? ReadDetails(string folder) => RunDetailsLog.Read(folder);

        /// <summary>What a stage reported in its outputs file; null when it wrote none (or nothing readable).</summary>
        public Dictionary<string, string?>? ReadOutputs(string stage) => StageOutputs.Read(FullPath, stage);

        /// <summary>
        /// Records that an attempt started, with its process when it is one (the summary is not touched: a crash now
        /// leaves the stage not done, and a later batch finds the process to see whether it still runs).
        /// </summary>
        public void AttemptStarted(string stage, int attempt, string batch, DateTimeOffset now, ProcessIdentity? process = null, string? token = null)
        {
            var started = new AttemptDetails
            {
                Attempt = attempt, Batch = batch, Started = now, Pid = process?.Pid, ProcessStarted = process?.Started, ProcessTicks = process?.BootTicks, Token = token,
                Place = ProcessPlace.Current,
            };
            Details.Stage(stage).Attempts.Add(started);
            lock (_appendGate) RunDetailsLog.Started(DetailsFile, stage, started);
        }

        /// <summary>Names the process of an attempt recorded before its process started (with its token).</summary>
        public void AttemptProcess(string stage, ProcessIdentity process)
        {
            var attempt = Details.Stage(stage).Attempts.LastOrDefault();
            if (attempt is null) return;
            attempt.Pid = process.Pid;
            attempt.ProcessStarted = process.Started;
            attempt.ProcessTicks = process.BootTicks;
            lock (_appendGate) RunDetailsLog.Process(DetailsFile, stage, attempt);
        }

        /// <summary>
        /// Records that the last attempt's process has ended while its end is not recorded here: the book was lost to
        /// another holder, which records the end (as cut off) and need not wait for the process.
        /// </summary>
        public void AttemptGone(string stage, string why)
        {
            var attempt = Details.Stage(stage).Attempts.LastOrDefault();
            if (attempt is null || attempt.Ended != null) return;
            attempt.Gone = true;
            lock (_appendGate) RunDetailsLog.Gone(DetailsFile, stage, attempt.Attempt, attempt.Token, why);
        }

        /// <summary>Records how an attempt ended; a success also records the stage's outputs.</summary>
        public void AttemptEnded(string stage, StageOutcome outcome, DateTimeOffset now, Dictionary<string, string?>? outputs)
        {
            var details = Details.Stage(stage);
            var attempt = details.Attempts.LastOrDefault();
            if (attempt is null) // its start was never recorded (it could not be): the end says what there is to say
            {
                attempt = new AttemptDetails { Attempt = 1, Started = now };
                details.Attempts.Add(attempt);
            }
            attempt.Ended = now;
            attempt.Result = outcome.Result.ToString();
            attempt.ExitCode = outcome.ExitCode;
            attempt.Error = outcome.Error;
            if (outputs != null) details.Outputs = outputs;
            Changed(stage, RunDetailsLog.StateAfter(outcome.Result), seq => RunDetailsLog.Ended(DetailsFile, seq, stage, attempt, outputs));
        }

        /// <summary>
        /// Records the end of attempts that never recorded one (their batch's host died and their processes are gone),
        /// as stopped: whatever they did is not known, so their stages are not done.
        /// </summary>
        public void CloseCutOff()
        {
            foreach (var (stage, attempt) in Details.CutOffAttempts().ToList())
            {
                attempt.Ended = DateTimeOffset.Now;
                attempt.Result = nameof(StageResult.Canceled);
                attempt.Error = "cut off: its batch ended without recording how it ended" + (attempt.Process is ProcessIdentity p ? $" ({p} is gone)" : string.Empty);
                var name = stage.Name;
                Changed(name, RunDetailsLog.StateAfter(StageResult.Canceled), seq => RunDetailsLog.Ended(DetailsFile, seq, name, attempt, null));
            }
        }

        /// <summary>Settles a stage's cut-off attempt: its verify command or the operator said it did not publish.</summary>
        public void Reviewed(string stage, string why)
        {
            var attempt = Details.Stage(stage).Attempts.LastOrDefault();
            if (attempt is null) return;
            attempt.Reviewed = true;
            lock (_appendGate) RunDetailsLog.Reviewed(DetailsFile, stage, attempt.Attempt, why);
        }

        /// <summary>Marks a stage done without running it (its outputs show it already published).</summary>
        public void Recovered(string stage, Dictionary<string, string?> outputs)
        {
            Details.Stage(stage).Outputs = outputs;
            Changed(stage, StageStateText.Success, seq => RunDetailsLog.Recovered(DetailsFile, seq, stage, outputs));
        }

        // A stage's state changes: the details get the change's line at once (a crash from here on cannot lose it), the
        // summary in memory changes, and the file summary.json follows: at once when it was last written a second or
        // more ago, else with a later change or when the book stops (FlushSummary). Rewriting it is a new file each
        // time, which costs a short stage more than the stage itself; a reader applies the details' later changes.
        private void Changed(string stage, string? state, Action<int> record)
        {
            var seq = ++_lastChange;
            lock (_appendGate) record(seq);
            Summary.Set(stage, state);
            _unwritten = seq;
            if (DateTime.UtcNow - _summaryWrittenAt >= SummaryInterval) WriteSummary();
        }

        // Kept open from the first change until the folder is closed: a line is then one small write.
        private FileStream DetailsFile => _detailsFile ??= RunDetailsLog.OpenForAppend(FullPath);

        /// <summary>
        /// The writes of <c>summary.json</c> started so far, done in order on the pool; awaiting it rethrows a write
        /// that failed. A book's job awaits it before it records the end of the next attempt.
        /// </summary>
        public Task Written => _written;

        /// <summary>Writes the summary now if a change is not in it yet; returns every write's task (see <see cref="Written"/>).</summary>
        public Task FlushSummary()
        {
            if (_unwritten != null) WriteSummary();
            return _written;
        }

        /// <summary>Writes the summary's last changes and closes the details file (a write that failed is not thrown again here).</summary>
        public void Dispose()
        {
            try { FlushSummary().Wait(); }
            catch (AggregateException) { }
            lock (_appendGate)
            {
                _detailsFile?.Dispose();
                _detailsFile = null;
            }
        }

        // Each write is a whole, atomic snapshot on the pool, in order, while the next stage starts; its "summary" line
        // in the details then says which changes it holds.
        private void WriteSummary()
        {
            // The snapshot is taken here, on the book's thread; only writing it goes to the pool.
            var (content, seq) = (Summary.ToBytes(), _unwritten!.Value);
            _unwritten = null;
            _summaryWrittenAt = DateTime.UtcNow;
            var path = Summary.Path;
            _written = _written.ContinueWith(previous =>
            {
                previous.GetAwaiter().GetResult(); // a failed write fails every later one, so it is not lost
                AtomicFile.Write(path, content, backupPath: null, durable: false);
                lock (_appendGate) RunDetailsLog.Summarized(DetailsFile, seq);
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
