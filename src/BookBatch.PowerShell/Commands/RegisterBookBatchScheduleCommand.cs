using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Schedules;
using BookBatch.Engine.Settings;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Sets up an unattended batch: at a time (daily, or on some days) the machine's scheduler starts PowerShell
    /// (-NonInteractive -NoProfile) on a script generated in the workspace, which runs the book list through
    /// Invoke-BookBatch -Confirm:$false, keeps its output in schedules/logs and exits non-zero when a book failed.
    /// With -Worker: a worker (Start-BookBatchWorker) started with the machine, as a systemd service, a scheduled task
    /// at start-up or a crontab @reboot line, stopped (drained) by the service manager.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "BookBatchSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = BatchSet)]
    [OutputType(typeof(BookBatchSchedule))]
    public sealed class RegisterBookBatchScheduleCommand : WorkspaceCmdlet
    {
        private const string BatchSet = "Batch";
        private const string WorkerSet = "Worker";

        /// <summary>The schedule's name: letters, digits, '-' or '_'; unique in the workspace.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Name { get; set; } = string.Empty;

        /// <summary>The book list each run reads (a text file of book lines).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = BatchSet)]
        [ValidateNotNullOrEmpty]
        public string BookList { get; set; } = string.Empty;

        /// <summary>The time of day the batch starts (local time; the date is ignored), e.g. 2am or '02:30'.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BatchSet)]
        public DateTime At { get; set; }

        /// <summary>The days it runs; without it, every day.</summary>
        [Parameter(ParameterSetName = BatchSet)]
        public DayOfWeek[]? DaysOfWeek { get; set; }

        /// <summary>-Privacy for each run; without it, bookbatch.json's.</summary>
        [Parameter(ParameterSetName = BatchSet)]
        [ValidateSet("Public", "Unlisted", "Private", IgnoreCase = true)]
        public string? Privacy { get; set; }

        /// <summary>-ThrottleLimit for each run; without it, bookbatch.json's.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int? ThrottleLimit { get; set; }

        /// <summary>
        /// Mails each run's end to these addresses too (Invoke-BookBatch -MailTo), through the "email" target of the
        /// workspace's bookbatch.json, which must have one.
        /// </summary>
        [Parameter(ParameterSetName = BatchSet)]
        [ValidateNotNullOrEmpty]
        [Alias("NotifyEmail")]
        public string[] MailTo { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Registers a worker instead of a timed batch: Start-BookBatchWorker in the workspace from the machine's start-up
        /// on (systemd: a service, started again 30 s after it ended by itself; Task Scheduler: a task at start-up; cron:
        /// an @reboot line).
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = WorkerSet)]
        public SwitchParameter Worker { get; set; }

        /// <summary>The worker's -GraceSeconds: how long its running stages may take to end when it is stopped (60).</summary>
        [Parameter(ParameterSetName = WorkerSet)]
        [ValidateRange(0, 86400)]
        public int GraceSeconds { get; set; } = 60;

        /// <summary>The PowerShell executable to run; without it, pwsh from PATH (or powershell.exe with -WindowsPowerShell).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PowerShellPath { get; set; }

        /// <summary>Runs the schedule in Windows PowerShell 5.1 (powershell.exe) rather than pwsh.</summary>
        [Parameter]
        public SwitchParameter WindowsPowerShell { get; set; }

        /// <summary>The scheduler: TaskScheduler, SystemdUser, SystemdSystem or Cron. Without it: Windows' Task Scheduler; elsewhere systemd when it runs (the system's for root, else the user's), else cron.</summary>
        [Parameter]
        public Scheduler? Scheduler { get; set; }

        /// <summary>Replaces a schedule of the same name.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var workspace = CurrentWorkspace.Root;
            if (!ScheduleDefinition.IsName(Name))
                ThrowTerminatingError(Errors.Record(ErrorIds.ScheduleNameInvalid, ErrorCategory.InvalidArgument,
                    $"'{Name}' cannot name a schedule: use letters, digits, '-' or '_' (at most 64), such as 'nightly'.", Name));
            var list = Worker ? string.Empty : ResolvePath(BookList);
            if (!Worker && !File.Exists(list))
                ThrowTerminatingError(Errors.Record(ErrorIds.BookListNotFound, ErrorCategory.ObjectNotFound,
                    $"The book list '{list}' does not exist. Name the text file of book lines each run should read.", BookList));
            if (!Force && File.Exists(Path.Combine(workspace, ScheduleDefinition.FolderName, Name + ".json")))
                ThrowTerminatingError(Errors.Record(ErrorIds.ScheduleAlreadyExists, ErrorCategory.ResourceExists,
                    $"The workspace has a schedule '{Name}' already. Add -Force to replace it, or choose another name (Get-BookBatchSchedule lists them).", Name));
            CheckMailTo();
            var shell = PowerShellPath is null ? ScheduleInstaller.FindPowerShell(WindowsPowerShell) : FullPath(PowerShellPath);
            if (shell is null)
                ThrowTerminatingError(Errors.Record(ErrorIds.SchedulePowerShellNotFound, ErrorCategory.ObjectNotFound,
                    (WindowsPowerShell ? "Windows PowerShell (powershell.exe) is not on this machine." : "No pwsh was found on PATH.") +
                    " Name the PowerShell to run the schedule with: -PowerShellPath.", PowerShellPath));
            var module = Path.Combine(Path.GetDirectoryName(typeof(RegisterBookBatchScheduleCommand).Assembly.Location)!, "BookBatch.psd1");
            ScheduleDefinition schedule;
            try
            {
                var scheduler = Scheduler ?? ScheduleInstaller.DefaultScheduler();
                schedule = Worker
                    ? ScheduleDefinition.Worker(Name, workspace, GraceSeconds, shell!, module, scheduler, ThrottleLimit)
                    : new ScheduleDefinition(Name, workspace, list, At.TimeOfDay, DaysOfWeek, shell!, module, scheduler, Privacy?.ToLowerInvariant(), ThrottleLimit, MailTo);
            }
            catch (SchedulePathException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, ErrorIds.SchedulePathInvalid, ErrorCategory.InvalidArgument, e.Path));
                return;
            }
            var registered = DateTimeOffset.Now;
            var registration = ScheduleInstaller.Register(schedule, registered);

            var when = schedule.IsWorker ? schedule.Days : $"{schedule.Days} at {schedule.At:hh\\:mm}";
            var description = $"Register the schedule '{Name}' ({schedule.Scheduler}, {when}):{Environment.NewLine}{registration.Describe()}";
            // -Force over a schedule of another scheduler: the old one is taken out of its scheduler first.
            var replaced = BookBatchSchedule.ReadAll(workspace, (_, _) => { })
                .FirstOrDefault(s => string.Equals(s.Name, Name, StringComparison.OrdinalIgnoreCase) && s.Scheduler != schedule.Scheduler);
            var removal = replaced is null ? null : ScheduleInstaller.Unregister(replaced.Definition, replaced.DefinitionFiles);
            if (removal != null) description = removal.Describe() + Environment.NewLine + description;

            if (!ShouldProcess(description, $"Register the schedule '{Name}' ({schedule.Scheduler})?", "Register-BookBatchSchedule")) return;
            try
            {
                if (removal != null) ScheduleInstaller.Apply(removal);
                ScheduleInstaller.Apply(registration);
            }
            catch (Exception e) when (e is ScheduleRegistrationException or IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(e, ErrorIds.ScheduleRegistrationFailed, ErrorCategory.WriteError, Name));
            }
            if (registration.Note != null) WriteWarning(registration.Note);
            WriteObject(new BookBatchSchedule(schedule, ScheduleInstaller.DefinitionFiles(registration), registered));
        }

        // A night whose mail cannot go is found out now: each recipient is an address, and the workspace has a mail server.
        private void CheckMailTo()
        {
            if (MailTo.Length == 0) return;
            PipelineSettings? settings = null;
            Try(() => settings = PipelineSettings.Load(CurrentWorkspace.SettingsPath, CurrentWorkspace.Root), CurrentWorkspace.SettingsPath, terminating: true);
            if (MailRecipients.Check(MailTo, settings!, "Nothing was registered") is ErrorRecord error) ThrowTerminatingError(error);
        }

        // A path that is absolute on Windows or on Unix is kept as it is (a Windows task may be prepared on Linux, with
        // -WhatIf); any other is relative to the current location.
        private string FullPath(string path) =>
            path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal)
                || (path.Length > 2 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
                ? path : ResolvePath(path);
    }
}
