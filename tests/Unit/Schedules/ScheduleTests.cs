using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using BookBatch.Engine.Schedules;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Schedules
{
    /// <summary>
    /// Register-, Get- and Unregister-BookBatchSchedule as users run them, with the machine's scheduler replaced by folders
    /// (BOOKBATCH_SYSTEMD_DIR, BOOKBATCH_CRONTAB): the definitions are read back and checked as their schedulers read them.
    /// One class, so its tests (which set process-wide variables) never run side by side.
    /// </summary>
    public sealed class ScheduleTests : IDisposable
    {
        // A space, quotes, a percent sign and a dollar: each format has its own way to quote them.
        private const string AwkwardFolder = "O'Brien's \"books\" 100% $HOME";
        private readonly PowerShellSession _session = new();
        private readonly string _workspace;
        private readonly string _units;
        private readonly string _crontab;

        public ScheduleTests()
        {
            _workspace = _session.PathOf(AwkwardFolder);
            _units = _session.PathOf("units");
            _crontab = _session.PathOf("crontab");
            _session.Run("New-BookWorkspace -Path $args[0] | Out-Null; Set-Location -LiteralPath $args[0]", _workspace).Succeeded();
            Environment.SetEnvironmentVariable(ScheduleInstaller.SystemdFolderVariable, _units);
            Environment.SetEnvironmentVariable(ScheduleInstaller.CrontabVariable, _crontab);
        }

        public void Dispose()
        {
            Environment.SetEnvironmentVariable(ScheduleInstaller.SystemdFolderVariable, null);
            Environment.SetEnvironmentVariable(ScheduleInstaller.CrontabVariable, null);
            _session.Dispose();
        }

        private string Script(string name) => Path.Combine(_workspace, "schedules", name + ".ps1");

        // systemd's ExecStart: double-quoted words with C escapes, $$ for $, %% for %.
        private static List<string> ExecStartWords(string line)
        {
            var words = new List<string>();
            var i = 0;
            while (i < line.Length)
            {
                if (line[i] == ' ') { i++; continue; }
                Assert.Equal('"', line[i]);
                var word = new StringBuilder();
                for (i++; line[i] != '"'; i++)
                {
                    if (line[i] == '\\') i++;
                    else if ((line[i] == '$' || line[i] == '%') && line[i + 1] == line[i]) i++;
                    word.Append(line[i]);
                }
                i++;
                words.Add(word.ToString());
            }
            return words;
        }

        private static string Value(string unit, string key) =>
            unit.Split('\n').Single(l => l.StartsWith(key + "=", StringComparison.Ordinal)).Substring(key.Length + 1);

        [Fact]
        public void WhatIfShowsTheUnitsThatWouldBeRegisteredAndWritesNothing()
        {
            _session.Run("Register-BookBatchSchedule nightly books.txt -At 2:30am -DaysOfWeek Friday, Monday -Scheduler SystemdUser -PowerShellPath /usr/bin/pwsh -WhatIf").Succeeded();

            var screen = _session.ScreenText;
            Assert.Contains("What if: Register the schedule 'nightly' (SystemdUser, Monday, Friday at 02:30):", screen);
            Assert.Contains("write " + Path.Combine(_units, "bookbatch-nightly.service"), screen);
            Assert.Contains("    ExecStart=\"/usr/bin/pwsh\" \"-NonInteractive\" \"-NoProfile\" \"-File\"", screen);
            Assert.Contains("    OnCalendar=Mon,Fri *-*-* 02:30:00", screen);
            Assert.Contains("write " + Script("nightly"), screen);
            Assert.False(Directory.Exists(_units));
            Assert.False(Directory.Exists(Path.Combine(_workspace, "schedules")));
            Assert.Empty(_session.Run("Get-BookBatchSchedule").Succeeded().Output);
        }

        [Fact]
        public void ASystemdTimerRunsTheGeneratedScriptAndGetAndUnregisterFollowIt()
        {
            var registered = _session.Run("Register-BookBatchSchedule nightly books.txt -At '21:05' -Scheduler SystemdUser -PowerShellPath '/opt/my pwsh/pwsh' -ThrottleLimit 2 -Privacy Private")
                .Objects<BookBatchSchedule>().Single();

            var service = File.ReadAllText(Path.Combine(_units, "bookbatch-nightly.service"));
            var timer = File.ReadAllText(Path.Combine(_units, "bookbatch-nightly.timer"));
            Assert.Equal(new[] { "/opt/my pwsh/pwsh", "-NonInteractive", "-NoProfile", "-File", Script("nightly") }, ExecStartWords(Value(service, "ExecStart")));
            Assert.Equal(_workspace.Replace("%", "%%"), Value(service, "WorkingDirectory"));
            Assert.Equal("oneshot", Value(service, "Type"));
            Assert.Equal("*-*-* 21:05:00", Value(timer, "OnCalendar"));
            Assert.Equal("bookbatch-nightly.service", Value(timer, "Unit"));
            Assert.Equal("true", Value(timer, "Persistent"));
            var script = File.ReadAllText(Script("nightly"));
            Assert.Contains("Invoke-BookBatch -Workspace $workspace -Confirm:$false -Privacy 'private' -ThrottleLimit 2", script);
            Assert.Contains("$workspace = '" + _workspace.Replace("'", "''") + "'", script);

            var listed = _session.Run("Get-BookBatchSchedule").Succeeded().Objects<BookBatchSchedule>().Single();
            Assert.Equal(("nightly", new TimeSpan(21, 5, 0), "daily", Scheduler.SystemdUser, Path.Combine(_workspace, "books.txt")),
                (listed.Name, listed.At, listed.Days, listed.Scheduler, listed.BookList));
            Assert.Equal(registered.DefinitionFiles, listed.DefinitionFiles);
            Assert.Equal("ScheduleAlreadyExists", _session.Throws("Register-BookBatchSchedule nightly books.txt -At 1am -PowerShellPath /usr/bin/pwsh")!.FullyQualifiedErrorId.Split(',')[0]);

            _session.Run("Get-BookBatchSchedule night* | Unregister-BookBatchSchedule -Confirm:$false").Succeeded();
            Assert.Empty(Directory.GetFiles(_units));
            Assert.False(File.Exists(Script("nightly")));
            Assert.Empty(_session.Run("Get-BookBatchSchedule").Succeeded().Output);
            Assert.Equal(new[] { "ScheduleNotFound" }, _session.Run("Get-BookBatchSchedule nightly").ErrorIds);
        }

        [Fact]
        public void AWorkerIsAServiceStartedWithTheMachineThatTheServiceManagerDrainsAndGetAndUnregisterFollowIt()
        {
            _session.Run("Register-BookBatchSchedule farm -Worker -GraceSeconds 90 -ThrottleLimit 3 -Scheduler SystemdSystem -PowerShellPath /usr/bin/pwsh").Succeeded();

            Assert.Equal(new[] { "bookbatch-farm.service" }, Directory.GetFiles(_units).Select(Path.GetFileName));
            var service = File.ReadAllText(Path.Combine(_units, "bookbatch-farm.service"));
            Assert.Equal(new[] { "/usr/bin/pwsh", "-NonInteractive", "-NoProfile", "-File", Script("farm") }, ExecStartWords(Value(service, "ExecStart")));
            // SIGTERM to PowerShell alone, which drains; what still runs after the grace and a minute is killed.
            Assert.Equal(("simple", "mixed", "150"), (Value(service, "Type"), Value(service, "KillMode"), Value(service, "TimeoutStopSec")));
            Assert.Equal(("on-failure", "30", "multi-user.target"), (Value(service, "Restart"), Value(service, "RestartSec"), Value(service, "WantedBy")));
            Assert.Equal("143", Value(service, "SuccessExitStatus")); // a host ended by SIGTERM after draining: a stop, not a failure
            var script = File.ReadAllText(Script("farm"));
            Assert.Contains("Start-BookBatchWorker -Workspace $workspace -GraceSeconds 90 -ThrottleLimit 3", script);
            Assert.DoesNotContain("Invoke-BookBatch", script);

            var listed = _session.Run("Get-BookBatchSchedule farm").Succeeded().Objects<BookBatchSchedule>().Single();
            Assert.Equal((true, "at start-up (a worker)", 90, ""), (listed.IsWorker, listed.Days, listed.Definition.WorkerGraceSeconds, listed.BookList));
            var table = string.Join("\n", _session.Run("Get-BookBatchSchedule | Out-String -Width 120").Succeeded().Output);
            Assert.Contains("at start-up (a worker)", table);

            _session.Run("Unregister-BookBatchSchedule farm -Confirm:$false").Succeeded();
            Assert.Empty(Directory.GetFiles(_units));
            Assert.False(File.Exists(Script("farm")));
        }

        [Fact]
        public void AWorkersTaskStartsAtStartUpWithoutATimeLimitAndAgainAfterAFailure()
        {
            var worker = ScheduleDefinition.Worker("farm", @"C:\Channel", 60, @"C:\Program Files\PowerShell\7\pwsh.exe", @"C:\m\BookBatch.psd1", Scheduler.TaskScheduler);
            var xml = XDocument.Parse(ScheduleFormats.TaskXml(worker, @"HOST\ops", new DateTime(2026, 12, 1)));
            XNamespace t = "http://schemas.microsoft.com/windows/2004/02/mit/task";

            Assert.Single(xml.Descendants(t + "BootTrigger"));
            Assert.Empty(xml.Descendants(t + "CalendarTrigger"));
            Assert.Equal("PT0S", xml.Descendants(t + "ExecutionTimeLimit").Single().Value);
            Assert.Equal(("PT1M", "999"), (xml.Descendants(t + "RestartOnFailure").Single().Element(t + "Interval")!.Value,
                xml.Descendants(t + "RestartOnFailure").Single().Element(t + "Count")!.Value));
            Assert.Equal("S4U", xml.Descendants(t + "LogonType").Single().Value);
        }

        [UnixFact]
        public void AWorkersCronEntryStartsItAtRebootAndSaysCronWillNotStartItAgain()
        {
            _session.Run("Register-BookBatchSchedule farm -Worker -Scheduler Cron -PowerShellPath /usr/bin/pwsh").Succeeded();

            var lines = File.ReadAllLines(_crontab);
            Assert.Equal("# bookbatch-schedule: farm", lines[0]);
            Assert.StartsWith("@reboot cd ", lines[1]);
            Assert.Contains("WARNING: cron starts the worker at the machine's start-up, and not again", _session.ScreenText);
        }

        [Fact]
        public void APathWithALineBreakIsRefusedBeforeAnythingIsWritten()
        {
            var refused = _session.Throws("Register-BookBatchSchedule nightly books.txt -At 2am -Scheduler SystemdUser -PowerShellPath \"/usr/bin/pwsh`nExecStartPre=/tmp/evil\"");

            Assert.Equal("SchedulePathInvalid", refused!.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, refused.CategoryInfo.Category);
            Assert.Contains("control character", refused.ToString());
            Assert.False(Directory.Exists(_units));
            Assert.False(Directory.Exists(Path.Combine(_workspace, "schedules")));
        }

        [UnixFact]
        public void ACronEntryIsOneLineThatTheShellSplitsIntoTheSameWords()
        {
            File.WriteAllText(_crontab, "MAILTO=ops\n15 1 * * * /usr/local/bin/backup\n");
            _session.Run("Register-BookBatchSchedule weekly books.txt -At 6:45 -DaysOfWeek Sunday, Wednesday -Scheduler Cron -PowerShellPath /usr/bin/pwsh").Succeeded();

            var lines = File.ReadAllLines(_crontab);
            Assert.Equal(new[] { "MAILTO=ops", "15 1 * * * /usr/local/bin/backup", "# bookbatch-schedule: weekly" }, lines.Take(3));
            var fields = lines[3].Split(' ', 6);
            Assert.Equal(new[] { "45", "6", "*", "*", "0,3" }, fields.Take(5));
            // What /bin/sh makes of the command (cron first turns \% into %): the working folder and each word, whole.
            var command = fields[5].Replace("\\%", "%").Replace("'/usr/bin/pwsh'", "pwd; printf '[%s]\\n'");
            var shell = Process.Start(new ProcessStartInfo("/bin/sh", new[] { "-c", command }) { RedirectStandardOutput = true })!;
            var output = shell.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            shell.WaitForExit();
            Assert.Equal(new[] { _workspace, "[-NonInteractive]", "[-NoProfile]", "[-File]", $"[{Script("weekly")}]" }, output);

            _session.Run("Unregister-BookBatchSchedule weekly -Confirm:$false").Succeeded();
            Assert.Equal(new[] { "MAILTO=ops", "15 1 * * * /usr/local/bin/backup" }, File.ReadAllLines(_crontab));
        }

        // A task an operator deleted by hand (schtasks /Delete, systemctl disable) must not keep Unregister from
        // deleting BookBatch's own files; any other failure of the removal still stops it with the program's words.
        [UnixTheory]
        [InlineData("false", true)]   // the scheduler no longer has it: nothing was there to remove
        [InlineData("true", false)]   // it still has it: the removal really failed
        public void ARemovalThatFailsBecauseTheTaskIsGoneStillDeletesTheFiles(string stillThere, bool deleted)
        {
            var record = Path.Combine(_workspace, "schedules", "gone.json");
            Directory.CreateDirectory(Path.GetDirectoryName(record)!);
            File.WriteAllText(record, "{}");
            var definition = new ScheduleDefinition("gone", _workspace, Path.Combine(_workspace, "books.txt"), TimeSpan.FromHours(1), null,
                "/usr/bin/pwsh", "/opt/BookBatch/BookBatch.psd1", Scheduler.SystemdUser);
            var removal = new ScheduleCommand("false", Array.Empty<string>(), null, new ScheduleCommand(stillThere, Array.Empty<string>()));
            var registration = new ScheduleRegistration(definition, new[] { removal }, new[] { new ScheduleFile(record, null) }, Array.Empty<ScheduleCommand>(), null);

            var failure = Record.Exception(() => ScheduleInstaller.Apply(registration));

            Assert.Equal(deleted, failure is null);
            if (!deleted) Assert.IsType<ScheduleRegistrationException>(failure);
            Assert.Equal(!deleted, File.Exists(record));
        }

        [Fact]
        public void ForceOverAScheduleOfAnotherSchedulerTakesTheOldOneOut()
        {
            File.WriteAllText(_crontab, "MAILTO=ops\n");
            _session.Run("Register-BookBatchSchedule nightly books.txt -At 1am -Scheduler Cron -PowerShellPath /usr/bin/pwsh").Succeeded();
            _session.Run("Register-BookBatchSchedule nightly books.txt -At 2am -Scheduler SystemdUser -PowerShellPath /usr/bin/pwsh -Force 3>$null").Succeeded();

            Assert.Equal(new[] { "MAILTO=ops" }, File.ReadAllLines(_crontab));
            Assert.True(File.Exists(Path.Combine(_units, "bookbatch-nightly.timer")));
            Assert.Equal(Scheduler.SystemdUser, _session.Run("Get-BookBatchSchedule nightly").Succeeded().Objects<BookBatchSchedule>().Single().Scheduler);
        }

        [Fact]
        public void TheWindowsTaskIsAScheduledTaskDefinitionWithTheCommandTriggerAndFolder()
        {
            var schedule = new ScheduleDefinition("nightly", @"C:\Book Batch\O'Brien's", @"C:\Book Batch\O'Brien's\books.txt", new TimeSpan(2, 30, 0),
                new[] { DayOfWeek.Friday, DayOfWeek.Monday }, @"C:\Program Files\PowerShell\7\pwsh.exe", @"C:\m\BookBatch.psd1", Scheduler.TaskScheduler);
            var xml = XDocument.Parse(ScheduleFormats.TaskXml(schedule, @"HOST\ops", new DateTime(2026, 12, 1)));
            XNamespace t = "http://schemas.microsoft.com/windows/2004/02/mit/task";
            var exec = xml.Descendants(t + "Exec").Single();
            Assert.Equal(@"C:\Program Files\PowerShell\7\pwsh.exe", exec.Element(t + "Command")!.Value);
            // (Built on Linux, the script's path joins with '/'; Windows joins it with '\'.)
            Assert.Equal(@"-NonInteractive -NoProfile -File ""C:\Book Batch\O'Brien's\schedules\nightly.ps1""", exec.Element(t + "Arguments")!.Value.Replace('/', '\\'));
            Assert.Equal(@"C:\Book Batch\O'Brien's", exec.Element(t + "WorkingDirectory")!.Value);
            var trigger = xml.Descendants(t + "CalendarTrigger").Single();
            Assert.Equal("2026-12-01T02:30:00", trigger.Element(t + "StartBoundary")!.Value);
            Assert.Equal(new[] { "Monday", "Friday" }, trigger.Descendants(t + "DaysOfWeek").Single().Elements().Select(e => e.Name.LocalName));
            Assert.Equal(("S4U", @"HOST\ops"), (xml.Descendants(t + "LogonType").Single().Value, xml.Descendants(t + "UserId").Single().Value));
            Assert.Equal(@"\BookBatch\nightly", xml.Descendants(t + "URI").Single().Value);

            var daily = new ScheduleDefinition("d", "C:\\w", "C:\\w\\b.txt", TimeSpan.FromHours(23), null, @"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", "m", Scheduler.TaskScheduler);
            var dailyXml = XDocument.Parse(ScheduleFormats.TaskXml(daily, "u", new DateTime(2026, 12, 1)));
            Assert.Equal("1", dailyXml.Descendants(t + "DaysInterval").Single().Value);
            Assert.StartsWith("-NonInteractive -NoProfile -ExecutionPolicy Bypass -File", dailyXml.Descendants(t + "Arguments").Single().Value);
        }

        [Fact]
        public void WhatIfOnLinuxShowsTheWindowsTaskDefinition()
        {
            _session.Run("Register-BookBatchSchedule nightly books.txt -At 3am -Scheduler TaskScheduler -PowerShellPath 'C:\\pwsh.exe' -WhatIf").Succeeded();
            Assert.Contains("    <Command>C:\\pwsh.exe</Command>", _session.ScreenText);
            Assert.Contains("run schtasks.exe /Create /TN \\BookBatch\\nightly /XML", _session.ScreenText);
            Assert.False(Directory.Exists(Path.Combine(_workspace, "schedules")));
        }

        [Theory]
        [InlineData("Register-BookBatchSchedule 'night ly' books.txt -At 1am -PowerShellPath /usr/bin/pwsh", "ScheduleNameInvalid")]
        [InlineData("Register-BookBatchSchedule nightly missing.txt -At 1am -PowerShellPath /usr/bin/pwsh", "BookListNotFound")]
        [InlineData("Unregister-BookBatchSchedule nothing -Confirm:$false", "ScheduleNotFound")]
        public void BadInputIsRefusedAndNothingIsWritten(string command, string errorId)
        {
            var result = _session.Run(command);
            Assert.Equal(new[] { errorId }, result.ErrorIds);
            Assert.False(Directory.Exists(Path.Combine(_workspace, "schedules")));
            Assert.False(Directory.Exists(_units));
        }

        [UnixFact]
        public void TheScheduledCommandRunsTheBatchKeepsItsLogAndExitsNonZeroWhenABookFailed()
        {
            var launcher = _session.PathOf("launch pwsh");
            File.WriteAllText(launcher, $"#!/bin/sh\nexec dotnet '{ProjectPwsh()}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.WriteAllText(Path.Combine(_workspace, "books.txt"), "Deep Work | Cal Newport\n");
            _session.Run("Register-BookBatchSchedule nightly books.txt -At 2am -Scheduler SystemdUser -PowerShellPath $args[0]", launcher).Succeeded();
            var words = ExecStartWords(Value(File.ReadAllText(Path.Combine(_units, "bookbatch-nightly.service")), "ExecStart"));

            File.WriteAllText(Path.Combine(_workspace, "fail-at.txt"), "tts");
            Assert.Equal(1, RunAsTheScheduler(words));
            var log = File.ReadAllText(Directory.GetFiles(Path.Combine(_workspace, "schedules", "logs"), "nightly-*.log").Single());
            Assert.Contains("Deep Work", log);
            Assert.Contains("Failed", log);

            File.Delete(Path.Combine(_workspace, "fail-at.txt"));
            Thread.Sleep(1100); // a new log name (one a second)
            Assert.Equal(0, RunAsTheScheduler(words));
            Assert.Equal(2, Directory.GetFiles(Path.Combine(_workspace, "schedules", "logs"), "nightly-*.log").Length);
        }

        [UnixFact]
        public void TheRegisteredWorkerTakesAnAddedBookAndDrainsOnSigtermWithItsLogKept()
        {
            var launcher = _session.PathOf("launch pwsh");
            File.WriteAllText(launcher, $"#!/bin/sh\nexec dotnet '{ProjectPwsh()}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _session.Run("Add-Book 'Deep Work | Cal Newport' -Confirm:$false | Out-Null; Register-BookBatchSchedule farm -Worker -GraceSeconds 5 -Scheduler SystemdSystem -PowerShellPath $args[0]", launcher).Succeeded();
            var words = ExecStartWords(Value(File.ReadAllText(Path.Combine(_units, "bookbatch-farm.service")), "ExecStart"));

            var start = new ProcessStartInfo(words[0], words.Skip(1)) { WorkingDirectory = _workspace, RedirectStandardInput = true, RedirectStandardOutput = true };
            using var service = Process.Start(start)!;
            service.StandardInput.Close();
            var output = service.StandardOutput.ReadToEndAsync();
            var logs = Path.Combine(_workspace, "schedules", "logs");
            string Log() => Directory.Exists(logs) ? string.Join("\n", Directory.GetFiles(logs, "farm-*.log").Select(ReadShared)) : "";
            var done = SpinWait.SpinUntil(() => Log().Contains("ended: 1 done", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            Assert.True(kill(service.Id, 15) == 0, "SIGTERM could not be sent"); // systemctl stop, KillMode=mixed
            Assert.True(service.WaitForExit(60_000), "the worker did not drain and end after SIGTERM");

            Assert.True(done, "the worker did not finish the added book: " + Log());
            // The host ends as SIGTERM told it once the worker drained: 128 + 15, which the unit counts as a clean stop.
            Assert.Equal(143, service.ExitCode);
            Assert.Contains("'Deep Work | Cal Newport': Resumed", Log()); // Add-Book queued it: the worker resumes it
            Assert.Contains("stopping: no book or stage starts any more", Log()); // the SIGTERM drained it
            Assert.Equal("Done", _session.Run("(Get-BookStatus).Status").Succeeded().Output.Single()?.ToString());
        }

        private static string ReadShared(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return new StreamReader(stream).ReadToEnd();
        }

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        // As systemd starts it: the words of ExecStart, in the workspace, with no terminal and nothing on standard input.
        private int RunAsTheScheduler(IReadOnlyList<string> words)
        {
            var start = new ProcessStartInfo(words[0], words.Skip(1)) { WorkingDirectory = _workspace, RedirectStandardInput = true, RedirectStandardOutput = true };
            start.Environment.Remove(ScheduleInstaller.SystemdFolderVariable);
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000));
            return process.ExitCode;
        }

        // The project's pwsh (dotnet tool restore puts it in the NuGet packages folder).
        private static string ProjectPwsh()
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages)) packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var pwsh = Path.Combine(packages, "powershell", "7.6.9", "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
            Assert.True(File.Exists(pwsh), $"the project's pwsh is not there ({pwsh}); run: dotnet tool restore");
            return pwsh;
        }
    }
}
