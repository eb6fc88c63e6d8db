using System;

namespace BookBatch.Engine.Schedules
{
    /// <summary>A path of a schedule (workspace, book list, PowerShell, module) that no scheduler's file can hold.</summary>
    public sealed class SchedulePathException : ArgumentException
    {
        /// <summary>Creates the exception.</summary>
        public SchedulePathException(string what, string path)
            : base($"The {what} path '{Books.Excerpt.Of(path)}' has a control character (a line break?), which no scheduler's file can hold: " +
                   "rename the file or folder, or name another one.")
        {
            Path = path;
        }

        /// <summary>The path.</summary>
        public string Path { get; }
    }
}
