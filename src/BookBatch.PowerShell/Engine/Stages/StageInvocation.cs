using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Stages
{
    /// <summary>One attempt of one stage for one book: everything the stage is told.</summary>
    public sealed class StageInvocation
    {
        private Action<ProcessIdentity?>? _started;
        private Action? _ended;
        private Action<string>? _launching;
        private Action? _recorded;

        internal StageInvocation(StageSettings stage, Book book, string workspace, string runFolder, string privacy, int attempt,
            string logPath, string outputsPath, Action<ProcessIdentity?>? started = null, Action? ended = null, Action<string>? launching = null)
        {
            _started = started;
            _ended = ended;
            _launching = launching;
            Stage = stage;
            Book = book;
            Workspace = workspace;
            RunFolder = runFolder;
            Privacy = privacy;
            Attempt = attempt;
            LogPath = logPath;
            OutputsPath = outputsPath;
        }

        /// <summary>The stage's settings.</summary>
        public StageSettings Stage { get; }
        /// <summary>The book.</summary>
        public Book Book { get; }
        /// <summary>The workspace folder.</summary>
        public string Workspace { get; }
        /// <summary>The run folder's full path (also the stage's working directory).</summary>
        public string RunFolder { get; }
        /// <summary>public, unlisted or private.</summary>
        public string Privacy { get; }
        /// <summary>1 for the first attempt.</summary>
        public int Attempt { get; }
        /// <summary>The stage's log file: its output and error streams go there.</summary>
        public string LogPath { get; }
        /// <summary>The file in which the stage may report outputs (JSON object, e.g. youtube_url).</summary>
        public string OutputsPath { get; }

        /// <summary>
        /// The same for every attempt of this stage in this run folder (and for its verify command), and different for
        /// any other: an upload script tags what it publishes with it, and can find it again (see docs/DECISIONS.md).
        /// </summary>
        public string IdempotencyKey => _idempotencyKey ??= IdempotencyKeys.Of(System.IO.Path.GetFileName(RunFolder), Stage.Name);

        private string? _idempotencyKey;

        /// <summary>
        /// This attempt's own token, in its process's environment (<see cref="ProcessIdentity.TokenVariable"/>) and in
        /// the records written before the process starts: a process whose host died before it could record the
        /// process's id is still found by it (<see cref="ProcessIdentity.FindByToken"/>).
        /// </summary>
        public string AttemptToken { get; } = Guid.NewGuid().ToString("N");

        /// <summary>
        /// Process runners call this just before they start the stage's process: the attempt is recorded with its token
        /// first, so that no process of it can run unrecorded, whenever its host dies. Only the first call counts.
        /// </summary>
        public void NotifyLaunching() => System.Threading.Interlocked.Exchange(ref _launching, null)?.Invoke(AttemptToken);

        /// <summary>
        /// Runners call this once the stage is running (its process started, whose identity is recorded so that a
        /// later batch can tell whether it still runs): the attempt is then recorded while the stage works, instead of
        /// before it, where it would delay every start. Only the first call counts.
        /// </summary>
        public void NotifyStarted(ProcessIdentity? process = null) => System.Threading.Interlocked.Exchange(ref _started, null)?.Invoke(process);

        /// <summary>
        /// Runners call this the moment the stage's process has ended, before they collect its last output: the
        /// scheduler then hands the stage's slot to the next book at once. Only the first call counts.
        /// </summary>
        public void NotifyEnded() => System.Threading.Interlocked.Exchange(ref _ended, null)?.Invoke();

        /// <summary>
        /// Runners that must know when the attempt's end is on record (its host's stage watchdog) add <paramref name="action"/>
        /// here; it runs once the end, or the attempt's loss, is written to the run folder.
        /// </summary>
        public void WhenRecorded(Action action)
        {
            Action? before, after;
            do
            {
                before = Volatile.Read(ref _recorded);
                after = before + action;
            }
            while (Interlocked.CompareExchange(ref _recorded, after, before) != before);
        }

        /// <summary>The scheduler calls this once the attempt's end (or that it was lost) is in the run folder. Only the first call counts.</summary>
        internal void NotifyRecorded() => Interlocked.Exchange(ref _recorded, null)?.Invoke();

        /// <summary>The environment variables every stage gets (listed in the README).</summary>
        public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
        {
            ["BOOKBATCH_TITLE"] = Book.Title,
            ["BOOKBATCH_AUTHOR"] = Book.Author ?? string.Empty,
            ["BOOKBATCH_RUN_FOLDER"] = RunFolder,
            ["BOOKBATCH_PRIVACY"] = Privacy,
            ["BOOKBATCH_STAGE"] = Stage.Name,
            ["BOOKBATCH_ATTEMPT"] = Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BOOKBATCH_OUTPUTS"] = OutputsPath,
            ["BOOKBATCH_WORKSPACE"] = Workspace,
            ["BOOKBATCH_IDEMPOTENCY_KEY"] = IdempotencyKey,
            [ProcessIdentity.TokenVariable] = AttemptToken,
        };

        /// <summary>The value of a placeholder name (<c>title</c>, <c>author</c>, ...), or null for an unknown one.</summary>
        public string? Placeholder(string name) => name switch
        {
            "title" => Book.Title,
            "author" => Book.Author ?? string.Empty,
            "runFolder" => RunFolder,
            "privacy" => Privacy,
            "stage" => Stage.Name,
            "attempt" => Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "outputs" => OutputsPath,
            "workspace" => Workspace,
            "idempotencyKey" => IdempotencyKey,
            _ => null,
        };
    }
}
