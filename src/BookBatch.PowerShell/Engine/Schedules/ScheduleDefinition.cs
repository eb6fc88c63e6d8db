using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BookBatch.Engine.Schedules
{
    /// <summary>
    /// One unattended run: at a time of day (daily, or on some days), PowerShell runs the generated script
    /// <c>schedules/&lt;name&gt;.ps1</c> of the workspace, which runs the book list through Invoke-BookBatch; or, for a
    /// worker (<see cref="IsWorker"/>), the script runs Start-BookBatchWorker from the machine's start-up on, started
    /// again should it end by itself. Everything a scheduler needs is derived from it as data (<see cref="ScheduleFormats"/>).
    /// </summary>
    public sealed class ScheduleDefinition
    {
        /// <summary>The folder of the workspace that holds the schedules' scripts, records and logs.</summary>
        public const string FolderName = "schedules";

        /// <summary>Describes a schedule; paths must be absolute.</summary>
        public ScheduleDefinition(string name, string workspace, string bookList, TimeSpan at, IEnumerable<DayOfWeek>? days, string powerShell,
            string module, Scheduler scheduler, string? privacy = null, int? throttleLimit = null, IEnumerable<string>? mailTo = null,
            int? workerGraceSeconds = null)
        {
            if (workerGraceSeconds < 0) throw new ArgumentOutOfRangeException(nameof(workerGraceSeconds), workerGraceSeconds, "seconds, 0 or more");
            if (!IsName(name)) throw new ArgumentException($"'{name}' is not a schedule name: use letters, digits, '-' or '_' (at most 64).", nameof(name));
            if (at < TimeSpan.Zero || at >= TimeSpan.FromDays(1)) throw new ArgumentOutOfRangeException(nameof(at), at, "a time of day");
            foreach (var (path, what) in new[] { (workspace, "workspace"), (bookList, "book list"), (powerShell, "PowerShell"), (module, "module") })
                if (UnwritablePath(path)) throw new SchedulePathException(what, path);
            Name = name;
            Workspace = workspace;
            BookList = bookList;
            At = new TimeSpan(at.Hours, at.Minutes, 0);
            DaysOfWeek = (days ?? Array.Empty<DayOfWeek>()).Distinct().OrderBy(d => ((int)d + 6) % 7).ToList(); // Monday first
            PowerShell = powerShell;
            Module = module;
            Scheduler = scheduler;
            Privacy = privacy;
            ThrottleLimit = throttleLimit;
            MailTo = (mailTo ?? Array.Empty<string>()).ToList();
            WorkerGraceSeconds = workerGraceSeconds;
        }

        /// <summary>A worker's registration: Start-BookBatchWorker -GraceSeconds <paramref name="graceSeconds"/> from start-up on.</summary>
        public static ScheduleDefinition Worker(string name, string workspace, int graceSeconds, string powerShell, string module, Scheduler scheduler,
            int? throttleLimit = null) =>
            new(name, workspace, string.Empty, TimeSpan.Zero, null, powerShell, module, scheduler, null, throttleLimit, null, graceSeconds);

        // A line break (or another control character) in a path would end a crontab line or a unit file's line, and what
        // follows would be read as an entry or a directive of its own: no scheduler's file can hold it.
        private static bool UnwritablePath(string path) => path.Any(c => char.IsControl(c));

        /// <summary>The schedule's name: unique in its workspace, part of the task's and units' names.</summary>
        public string Name { get; }
        /// <summary>The workspace folder.</summary>
        public string Workspace { get; }
        /// <summary>The book list the run reads; empty for a worker, which takes what the workspace owes.</summary>
        public string BookList { get; }
        /// <summary>The time of day (hours and minutes, local time).</summary>
        public TimeSpan At { get; }
        /// <summary>The days it runs, Monday first; empty: every day.</summary>
        public IReadOnlyList<DayOfWeek> DaysOfWeek { get; }
        /// <summary>The PowerShell executable: pwsh, or Windows PowerShell's powershell.exe.</summary>
        public string PowerShell { get; }
        /// <summary>The BookBatch module the script imports (its manifest).</summary>
        public string Module { get; }
        /// <summary>Where it is registered.</summary>
        public Scheduler Scheduler { get; }
        /// <summary>-Privacy for the batch, or null: bookbatch.json's.</summary>
        public string? Privacy { get; }
        /// <summary>-ThrottleLimit for the batch, or null: bookbatch.json's.</summary>
        public int? ThrottleLimit { get; }

        /// <summary>-MailTo for the batch: recipients its completion mail goes to besides bookbatch.json's.</summary>
        public IReadOnlyList<string> MailTo { get; }

        /// <summary>
        /// For a worker, the seconds its running stages get to end when it is stopped (Start-BookBatchWorker -GraceSeconds);
        /// null for a timed batch.
        /// </summary>
        public int? WorkerGraceSeconds { get; }

        /// <summary>True for a worker started with the machine, not a batch at a time.</summary>
        public bool IsWorker => WorkerGraceSeconds != null;

        /// <summary>The generated script the scheduler runs.</summary>
        public string ScriptPath => Path.Combine(Workspace, FolderName, Name + ".ps1");
        /// <summary>The record Get-BookBatchSchedule reads.</summary>
        public string RecordPath => Path.Combine(Workspace, FolderName, Name + ".json");
        /// <summary>Where each run's output goes (one log per run).</summary>
        public string LogFolder => Path.Combine(Workspace, FolderName, "logs");

        /// <summary>True for Windows PowerShell 5.1 (powershell.exe), which needs its execution policy set for a script file.</summary>
        public bool IsWindowsPowerShell => string.Equals(PowerShell.Substring(PowerShell.LastIndexOfAny(new[] { '/', '\\' }) + 1), "powershell.exe", StringComparison.OrdinalIgnoreCase);

        /// <summary>The arguments PowerShell is started with: never a profile, never a prompt, the script file.</summary>
        public IReadOnlyList<string> Arguments =>
            (IsWindowsPowerShell ? new[] { "-NonInteractive", "-NoProfile", "-ExecutionPolicy", "Bypass" } : new[] { "-NonInteractive", "-NoProfile" })
            .Concat(new[] { "-File", ScriptPath }).ToList();

        /// <summary>The days as text: "daily", "Monday, Friday", or for a worker "at start-up (a worker)".</summary>
        public string Days => IsWorker ? "at start-up (a worker)" : DaysOfWeek.Count == 0 ? "daily" : string.Join(", ", DaysOfWeek);

        /// <summary>True for a name fit for files, tasks and units.</summary>
        public static bool IsName(string? name) =>
            !string.IsNullOrEmpty(name) && name!.Length <= 64 && name.All(c => (c < 128 && char.IsLetterOrDigit(c)) || c == '-' || c == '_');
    }
}
