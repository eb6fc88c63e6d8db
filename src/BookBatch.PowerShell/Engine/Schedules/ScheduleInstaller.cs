using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using BookBatch.Engine.Processes;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Schedules
{
    /// <summary>
    /// Registers and removes schedules. Which scheduler: Windows: the Task Scheduler; elsewhere systemd when it runs
    /// (<c>/run/systemd/system</c> exists) — the system's units for root, the user's otherwise — else cron. Two
    /// environment variables turn the machine's scheduler into folders, for tests and for hosts managed by other tools:
    /// <c>BOOKBATCH_SYSTEMD_DIR</c> (unit files go there; systemctl is not run) and <c>BOOKBATCH_CRONTAB</c> (a file
    /// that stands for the crontab; crontab is not run).
    /// </summary>
    public static class ScheduleInstaller
    {
        /// <summary>A folder that takes the unit files instead of systemd's; systemctl is then not run.</summary>
        public const string SystemdFolderVariable = "BOOKBATCH_SYSTEMD_DIR";
        /// <summary>A file that stands for the user's crontab; crontab is then not run.</summary>
        public const string CrontabVariable = "BOOKBATCH_CRONTAB";

        private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

        /// <summary>The scheduler of this machine, by the rule above.</summary>
        public static Scheduler DefaultScheduler()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return Scheduler.TaskScheduler;
            if (Environment.GetEnvironmentVariable(SystemdFolderVariable) is { Length: > 0 } || Directory.Exists("/run/systemd/system"))
                return IsRoot() ? Scheduler.SystemdSystem : Scheduler.SystemdUser;
            return Scheduler.Cron;
        }

        /// <summary>
        /// The PowerShell a schedule runs with when none is named: Windows PowerShell's powershell.exe when asked for, else
        /// the first pwsh on PATH; null when there is none.
        /// </summary>
        public static string? FindPowerShell(bool windowsPowerShell)
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            if (windowsPowerShell)
            {
                var system = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.System), "WindowsPowerShell", "v1.0", "powershell.exe");
                return windows && File.Exists(system) ? system : null;
            }
            var name = windows ? "pwsh.exe" : "pwsh";
            return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Where(folder => folder.Length > 0 && Path.IsPathRooted(folder))
                .Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
        }

        /// <summary>What registering the schedule does: the script, the definition, the scheduler's programs, then the record.</summary>
        public static ScheduleRegistration Register(ScheduleDefinition s, DateTimeOffset registered)
        {
            var files = new List<ScheduleFile> { new(s.ScriptPath, ScheduleScript.Text(s)) };
            var commands = new List<ScheduleCommand>();
            string? note = null;
            switch (s.Scheduler)
            {
                case Scheduler.TaskScheduler:
                    var xml = Path.Combine(s.Workspace, ScheduleDefinition.FolderName, s.Name + ".task.xml");
                    files.Add(new ScheduleFile(xml, ScheduleFormats.TaskXml(s, CurrentUser(), DateTime.Today), utf16: true));
                    commands.Add(new ScheduleCommand("schtasks.exe", new[] { "/Create", "/TN", ScheduleFormats.TaskName(s), "/XML", xml, "/F" }));
                    break;
                case Scheduler.SystemdUser:
                case Scheduler.SystemdSystem:
                    var (folder, managed) = SystemdFolder(s.Scheduler);
                    files.Add(new ScheduleFile(Path.Combine(folder, ScheduleFormats.UnitName(s) + ".service"), ScheduleFormats.SystemdService(s)));
                    if (!s.IsWorker) files.Add(new ScheduleFile(Path.Combine(folder, ScheduleFormats.UnitName(s) + ".timer"), ScheduleFormats.SystemdTimer(s)));
                    if (managed)
                    {
                        commands.Add(Systemctl(s.Scheduler, "daemon-reload"));
                        commands.Add(Systemctl(s.Scheduler, "enable", "--now", EnabledUnit(s)));
                        if (s.Scheduler == Scheduler.SystemdUser)
                            note = $"A user's {(s.IsWorker ? "service" : "timer")} runs while the user has a session; to run it when nobody is logged on: loginctl enable-linger {Environment.UserName}";
                    }
                    else note = $"{SystemdFolderVariable} names the folder: the units are written there, and systemctl is not run.";
                    break;
                default:
                    AddCrontab(files, commands, s.Name, ScheduleFormats.CronEntry(s));
                    if (s.IsWorker) note = "cron starts the worker at the machine's start-up, and not again should it end: Get-BookBatchWorker shows whether it runs.";
                    break;
            }
            var registration = new ScheduleRegistration(s, Array.Empty<ScheduleCommand>(), files, commands, note);
            registration.Record = new ScheduleFile(s.RecordPath, new BookBatchSchedule(s, DefinitionFiles(registration), registered).ToJson());
            return registration;
        }

        /// <summary>What unregistering the schedule does: the scheduler's programs, then its files deleted (the logs stay).</summary>
        public static ScheduleRegistration Unregister(ScheduleDefinition s, IReadOnlyList<string> definitionFiles)
        {
            var first = new List<ScheduleCommand>();
            var files = new List<ScheduleFile>();
            var commands = new List<ScheduleCommand>();
            switch (s.Scheduler)
            {
                case Scheduler.TaskScheduler:
                    first.Add(new ScheduleCommand("schtasks.exe", new[] { "/Delete", "/TN", ScheduleFormats.TaskName(s), "/F" }, null,
                        new ScheduleCommand("schtasks.exe", new[] { "/Query", "/TN", ScheduleFormats.TaskName(s) })));
                    break;
                case Scheduler.SystemdUser:
                case Scheduler.SystemdSystem:
                    if (!SystemdFolder(s.Scheduler).Managed) break;
                    // A worker's service, stopped: SIGTERM, so it drains, within the unit's stop time-out.
                    var unit = EnabledUnit(s);
                    var disable = Systemctl(s.Scheduler, "disable", "--now", unit);
                    first.Add(new ScheduleCommand(disable.Executable, disable.Arguments, null, Systemctl(s.Scheduler, "cat", unit)));
                    commands.Add(Systemctl(s.Scheduler, "daemon-reload")); // once the unit files are gone
                    break;
                default:
                    AddCrontab(files, first, s.Name, null);
                    break;
            }
            files.AddRange(definitionFiles.Concat(new[] { s.ScriptPath, s.RecordPath }).Select(f => new ScheduleFile(f, null)));
            return new ScheduleRegistration(s, first, files, commands, null);
        }

        /// <summary>Writes and deletes the files, runs the programs; a program that fails stops it with its own words.</summary>
        public static void Apply(ScheduleRegistration registration)
        {
            foreach (var command in registration.First) Run(command);
            foreach (var file in registration.Files)
                if (file.Text is null) File.Delete(file.Path);
                else Write(file);
            foreach (var command in registration.Commands) Run(command);
            if (registration.Record != null) Write(registration.Record); // last: Get-BookBatchSchedule lists only what the scheduler took
        }

        /// <summary>The files the registration writes besides the script and a stand-in crontab: what Unregister deletes.</summary>
        public static IReadOnlyList<string> DefinitionFiles(ScheduleRegistration registration) => registration.Files
            .Where(f => f.Text != null && f.Path != registration.Schedule.ScriptPath
                && !string.Equals(f.Path, Environment.GetEnvironmentVariable(CrontabVariable), StringComparison.Ordinal))
            .Select(f => f.Path).ToList();

        private static void Write(ScheduleFile file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
            // UTF-8 with a BOM: Windows PowerShell 5.1 reads a script without one in the ANSI code page.
            File.WriteAllText(file.Path, file.Text, file.Utf16 ? Encoding.Unicode : new UTF8Encoding(encoderShouldEmitUTF8Identifier: file.Path.EndsWith(".ps1", StringComparison.Ordinal)));
        }

        // The crontab with this schedule's entry taken out, and the new one (if any) added at the end.
        private static void AddCrontab(List<ScheduleFile> files, List<ScheduleCommand> commands, string name, string? entry)
        {
            var standIn = Environment.GetEnvironmentVariable(CrontabVariable);
            var current = standIn is { Length: > 0 } ? (File.Exists(standIn) ? File.ReadAllText(standIn) : string.Empty) : ReadCrontab();
            var lines = current.Replace("\r\n", "\n").Split('\n').ToList();
            var marker = lines.IndexOf(ScheduleFormats.CronMarker(name));
            if (marker >= 0) lines.RemoveRange(marker, Math.Min(2, lines.Count - marker));
            var kept = string.Join("\n", lines).TrimEnd('\n');
            var text = (kept.Length > 0 ? kept + "\n" : string.Empty) + (entry is null ? string.Empty : entry + "\n");
            if (standIn is { Length: > 0 }) files.Add(new ScheduleFile(standIn, text));
            else commands.Add(new ScheduleCommand("crontab", new[] { "-" }, text));
        }

        private static string ReadCrontab()
        {
            var (code, output, _) = Execute(new ScheduleCommand("crontab", new[] { "-l" }));
            return code == 0 ? output : string.Empty; // "no crontab for user" is exit code 1
        }

        private static (string Folder, bool Managed) SystemdFolder(Scheduler scheduler)
        {
            if (Environment.GetEnvironmentVariable(SystemdFolderVariable) is { Length: > 0 } folder) return (Path.GetFullPath(folder), false);
            if (scheduler == Scheduler.SystemdSystem) return ("/etc/systemd/system", true);
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(config)) config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return (Path.Combine(config!, "systemd", "user"), true);
        }

        // A batch's timer starts its service; a worker's service starts with the machine.
        private static string EnabledUnit(ScheduleDefinition s) => ScheduleFormats.UnitName(s) + (s.IsWorker ? ".service" : ".timer");

        private static ScheduleCommand Systemctl(Scheduler scheduler, params string[] arguments) =>
            new("systemctl", scheduler == Scheduler.SystemdUser ? new[] { "--user" }.Concat(arguments).ToArray() : arguments);

        private static void Run(ScheduleCommand command)
        {
            var (code, output, error) = Execute(command);
            if (code == 0) return;
            // A removal that failed because the scheduler no longer has the schedule had nothing to remove.
            if (command.StillThere is ScheduleCommand stillThere && Execute(stillThere).Code != 0) return;
            throw new ScheduleRegistrationException(command.ToString(), code, (error.Length > 0 ? error : output).Trim());
        }

        private static (int Code, string Output, string Error) Execute(ScheduleCommand command)
        {
            var start = new ProcessStartInfo(command.Executable)
            {
                UseShellExecute = false, CreateNoWindow = true, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            CommandLine.SetArguments(start, command.Arguments);
            Process process;
            try { process = Process.Start(start)!; }
            catch (Exception e) when (e is Win32Exception or FileNotFoundException)
            {
                throw new ScheduleRegistrationException(command.ToString(), null, e.Message);
            }
            using (process)
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                if (command.Input != null) process.StandardInput.Write(command.Input);
                process.StandardInput.Close();
                if (!process.WaitForExit((int)CommandTimeout.TotalMilliseconds))
                {
                    ProcessTree.Kill(process);
                    throw new ScheduleRegistrationException(command.ToString(), null, $"it did not end within {CommandTimeout.TotalSeconds:0} s");
                }
                return (process.ExitCode, output.Result, error.Result);
            }
        }

        private static string CurrentUser() => string.IsNullOrEmpty(Environment.UserDomainName) ? Environment.UserName : Environment.UserDomainName + "\\" + Environment.UserName;

        private static bool IsRoot() => Environment.UserName == "root";
    }
}
