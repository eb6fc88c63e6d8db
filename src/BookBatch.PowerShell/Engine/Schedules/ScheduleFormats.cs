using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using BookBatch.Engine.Processes;

namespace BookBatch.Engine.Schedules
{
    /// <summary>
    /// A schedule as each scheduler takes it: a Task Scheduler XML definition, a systemd service and timer, a crontab
    /// entry. Each quotes paths its own way, so a workspace named <c>O'Brien's books</c> arrives whole.
    /// </summary>
    public static class ScheduleFormats
    {
        private static readonly XNamespace Task = "http://schemas.microsoft.com/windows/2004/02/mit/task";

        /// <summary>The task's path in the Task Scheduler library.</summary>
        public static string TaskName(ScheduleDefinition s) => @"\BookBatch\" + s.Name;

        /// <summary>The systemd units' base name (<c>bookbatch-&lt;name&gt;</c>).</summary>
        public static string UnitName(ScheduleDefinition s) => "bookbatch-" + s.Name;

        /// <summary>The line before a schedule's crontab entry, by which it is found again.</summary>
        public static string CronMarker(string name) => "# bookbatch-schedule: " + name;

        private static string Description(ScheduleDefinition s) => s.IsWorker
            ? $"BookBatch worker '{s.Name}' of {s.Workspace}"
            : $"BookBatch schedule '{s.Name}': {s.BookList} in {s.Workspace}, {s.Days} at {s.At:hh\\:mm}";

        /// <summary>
        /// The Task Scheduler definition: a calendar trigger (daily, or weekly on the days), run whether the user is logged
        /// on or not without a stored password (S4U), a missed run started when the machine is back, never two at once.
        /// A worker's: a start-up trigger, no time limit, started again a minute after it ended by itself.
        /// </summary>
        public static string TaskXml(ScheduleDefinition s, string userId, DateTime today)
        {
            var arguments = new StringBuilder();
            foreach (var argument in s.Arguments)
            {
                if (arguments.Length > 0) arguments.Append(' ');
                CommandLine.AppendQuoted(arguments, argument);
            }
            var document = new XDocument(new XDeclaration("1.0", "UTF-16", null),
                new XElement(Task + "Task", new XAttribute("version", "1.2"),
                    new XElement(Task + "RegistrationInfo",
                        new XElement(Task + "Description", Description(s)),
                        new XElement(Task + "URI", TaskName(s))),
                    new XElement(Task + "Triggers", Trigger(s, today)),
                    new XElement(Task + "Principals",
                        new XElement(Task + "Principal", new XAttribute("id", "Author"),
                            new XElement(Task + "UserId", userId),
                            new XElement(Task + "LogonType", "S4U"),
                            new XElement(Task + "RunLevel", "LeastPrivilege"))),
                    new XElement(Task + "Settings",
                        new XElement(Task + "MultipleInstancesPolicy", "IgnoreNew"),
                        new XElement(Task + "DisallowStartIfOnBatteries", "false"),
                        new XElement(Task + "StopIfGoingOnBatteries", "false"),
                        new XElement(Task + "StartWhenAvailable", "true"),
                        new XElement(Task + "ExecutionTimeLimit", s.IsWorker ? "PT0S" : "PT72H"),
                        s.IsWorker ? new XElement(Task + "RestartOnFailure", new XElement(Task + "Interval", "PT1M"), new XElement(Task + "Count", 999)) : null,
                        new XElement(Task + "Enabled", "true")),
                    new XElement(Task + "Actions", new XAttribute("Context", "Author"),
                        new XElement(Task + "Exec",
                            new XElement(Task + "Command", s.PowerShell),
                            new XElement(Task + "Arguments", arguments.ToString()),
                            new XElement(Task + "WorkingDirectory", s.Workspace)))));
            return document.Declaration + Environment.NewLine + document.ToString();
        }

        // A batch at its time; a worker from start-up on.
        private static XElement Trigger(ScheduleDefinition s, DateTime today)
        {
            if (s.IsWorker) return new XElement(Task + "BootTrigger", new XElement(Task + "Enabled", "true"));
            var schedule = s.DaysOfWeek.Count == 0
                ? new XElement(Task + "ScheduleByDay", new XElement(Task + "DaysInterval", 1))
                : new XElement(Task + "ScheduleByWeek",
                    new XElement(Task + "DaysOfWeek", s.DaysOfWeek.OrderBy(d => (int)d).Select(d => new XElement(Task + d.ToString()))),
                    new XElement(Task + "WeeksInterval", 1));
            return new XElement(Task + "CalendarTrigger",
                new XElement(Task + "StartBoundary", (today.Date + s.At).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
                new XElement(Task + "Enabled", "true"),
                schedule);
        }

        /// <summary>
        /// The systemd service: one run of the script, in the workspace. A worker's runs from start-up until stopped:
        /// SIGTERM to PowerShell alone (its stages get the grace, then systemd ends what is left; the host then ends with
        /// 143, as SIGTERM told it, which counts as a stop), started again 30 s after it ended by itself.
        /// </summary>
        public static string SystemdService(ScheduleDefinition s) =>
            "[Unit]\n" +
            $"Description={Specifiers(Description(s))}\n" +
            (s.IsWorker ? "Wants=network-online.target\nAfter=network-online.target\n" : string.Empty) + "\n" +
            "[Service]\n" +
            (s.WorkerGraceSeconds is int grace
                ? "Type=simple\nKillMode=mixed\n" + $"TimeoutStopSec={(grace + 60).ToString(CultureInfo.InvariantCulture)}\n" +
                  "Restart=on-failure\nRestartSec=30\nSuccessExitStatus=143\n"
                : "Type=oneshot\n") +
            $"WorkingDirectory={Specifiers(s.Workspace)}\n" +
            $"ExecStart={string.Join(" ", new[] { s.PowerShell }.Concat(s.Arguments).Select(SystemdQuote))}\n" +
            (s.IsWorker ? "\n[Install]\n" + $"WantedBy={(s.Scheduler == Scheduler.SystemdUser ? "default.target" : "multi-user.target")}\n" : string.Empty);

        /// <summary>The systemd timer: the calendar time; a run missed while the machine was off starts when it is back.</summary>
        public static string SystemdTimer(ScheduleDefinition s) =>
            "[Unit]\n" +
            $"Description={Specifiers(Description(s))}\n\n" +
            "[Timer]\n" +
            $"OnCalendar={OnCalendar(s)}\n" +
            "Persistent=true\n" +
            $"Unit={UnitName(s)}.service\n\n" +
            "[Install]\n" +
            "WantedBy=timers.target\n";

        /// <summary>systemd's calendar expression: <c>*-*-* 02:00:00</c>, or <c>Mon,Fri *-*-* 02:00:00</c>.</summary>
        public static string OnCalendar(ScheduleDefinition s) =>
            (s.DaysOfWeek.Count == 0 ? string.Empty : string.Join(",", s.DaysOfWeek.Select(d => d.ToString().Substring(0, 3))) + " ")
            + $"*-*-* {s.At:hh\\:mm}:00";

        /// <summary>
        /// The crontab entry: its marker line, then the line itself (the command goes through /bin/sh: each word
        /// single-quoted); a worker's runs <c>@reboot</c>, and cron does not start it again should it end.
        /// </summary>
        public static string CronEntry(ScheduleDefinition s)
        {
            var days = s.DaysOfWeek.Count == 0 ? "*" : string.Join(",", s.DaysOfWeek.Select(d => (int)d).OrderBy(d => d).Select(d => d.ToString(CultureInfo.InvariantCulture)));
            var command = "cd " + ShellQuote(s.Workspace) + " && " + string.Join(" ", new[] { s.PowerShell }.Concat(s.Arguments).Select(ShellQuote));
            var when = s.IsWorker ? "@reboot" : string.Format(CultureInfo.InvariantCulture, "{0} {1} * * {2}", s.At.Minutes, s.At.Hours, days);
            return CronMarker(s.Name) + "\n" + when + " " + command.Replace("%", "\\%");
        }

        // systemd expands %-specifiers in most values: a literal % is %%.
        private static string Specifiers(string text) => text.Replace("%", "%%");

        // An ExecStart word: double-quoted, with C-style escapes; $ would expand a variable, % a specifier.
        private static string SystemdQuote(string word) =>
            "\"" + Specifiers(word).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "$$") + "\"";

        // A /bin/sh word: single-quoted; a quote ends the string, is escaped, and a new one starts.
        private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''") + "'";
    }
}
