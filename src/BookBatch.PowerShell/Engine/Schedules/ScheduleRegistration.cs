using System;
using System.Collections.Generic;
using System.Text;

namespace BookBatch.Engine.Schedules
{
    /// <summary>
    /// Everything registering (or unregistering) a schedule does, as data: the files it writes or deletes, then the
    /// programs it runs. -WhatIf shows it; <see cref="ScheduleInstaller.Apply"/> does it.
    /// </summary>
    public sealed class ScheduleRegistration
    {
        internal ScheduleRegistration(ScheduleDefinition schedule, IReadOnlyList<ScheduleCommand> first, IReadOnlyList<ScheduleFile> files,
            IReadOnlyList<ScheduleCommand> commands, string? note)
        {
            Schedule = schedule;
            First = first;
            Files = files;
            Commands = commands;
            Note = note;
        }

        /// <summary>The programs run before the files (a timer stopped before its units are deleted).</summary>
        public IReadOnlyList<ScheduleCommand> First { get; }

        /// <summary>The schedule.</summary>
        public ScheduleDefinition Schedule { get; }
        /// <summary>The files, in the order they are written or deleted (a schedule's record last).</summary>
        public IReadOnlyList<ScheduleFile> Files { get; }
        /// <summary>The programs run after the files, in order.</summary>
        public IReadOnlyList<ScheduleCommand> Commands { get; }
        /// <summary>The schedule's record, written after everything else (null when unregistering).</summary>
        public ScheduleFile? Record { get; internal set; }

        /// <summary>What the operator should know (a user timer that needs lingering, units written where systemd does not look).</summary>
        public string? Note { get; }

        /// <summary>The whole of it, as -WhatIf shows it: each file with its text, each program with its arguments.</summary>
        public string Describe()
        {
            var text = new StringBuilder();
            foreach (var command in First) text.Append("run ").AppendLine(command.ToString());
            foreach (var file in Files)
            {
                if (file.Text is null) { text.Append("delete ").AppendLine(file.Path); continue; }
                text.Append("write ").AppendLine(file.Path);
                if (file.Path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var line in file.Text.TrimEnd('\n', '\r').Split('\n')) text.Append("    ").AppendLine(line.TrimEnd('\r'));
            }
            foreach (var command in Commands)
            {
                text.Append("run ").AppendLine(command.ToString());
                if (command.Input != null)
                    foreach (var line in command.Input.TrimEnd('\n').Split('\n')) text.Append("    ").AppendLine(line);
            }
            if (Record != null) text.Append("write ").AppendLine(Record.Path);
            if (Note != null) text.AppendLine(Note);
            return text.ToString().TrimEnd();
        }
    }
}
