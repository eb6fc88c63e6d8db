using System;

namespace BookBatch.Engine.Schedules
{
    /// <summary>A scheduler's program refused the schedule (or could not be run).</summary>
    public sealed class ScheduleRegistrationException : Exception
    {
        /// <summary>Creates the error for a program, its exit code (null: it did not run or end) and what it said.</summary>
        public ScheduleRegistrationException(string command, int? exitCode, string said)
            : base($"'{command}' {(exitCode is int code ? $"exited with code {code}" : "failed")}: {said}. Check that the scheduler runs and that you may use it, or choose another with -Scheduler.")
        {
            Command = command;
        }

        /// <summary>The program that failed, with its arguments.</summary>
        public string Command { get; }
    }
}
