using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Engine.Schedules
{
    /// <summary>A program a registration runs: an executable and its argument array (never a shell), maybe with input.</summary>
    public sealed class ScheduleCommand
    {
        internal ScheduleCommand(string executable, IReadOnlyList<string> arguments, string? input = null, ScheduleCommand? stillThere = null)
        {
            Executable = executable;
            Arguments = arguments;
            Input = input;
            StillThere = stillThere;
        }

        /// <summary>
        /// For a command that takes a schedule out of its scheduler: a command that succeeds only while the scheduler
        /// still has it. When the removal fails and this fails too, there was nothing to remove (the task was deleted by
        /// hand), and unregistering goes on with the files.
        /// </summary>
        public ScheduleCommand? StillThere { get; }

        /// <summary>The program.</summary>
        public string Executable { get; }
        /// <summary>Its arguments, each whole.</summary>
        public IReadOnlyList<string> Arguments { get; }
        /// <summary>What it reads on its standard input, or null.</summary>
        public string? Input { get; }

        /// <inheritdoc />
        public override string ToString() => string.Join(" ", new[] { Executable }.Concat(Arguments)) + (Input is null ? string.Empty : " (with the new crontab on its input)");
    }
}
