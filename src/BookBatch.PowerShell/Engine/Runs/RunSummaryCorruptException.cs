using System;

namespace BookBatch.Engine.Runs
{
    /// <summary>A run folder's <c>summary.json</c> cannot be read; it is left as it is.</summary>
    public sealed class RunSummaryCorruptException : Exception
    {
        /// <summary>Creates the error for a file and what is wrong.</summary>
        public RunSummaryCorruptException(string path, string reason)
            : base($"The run summary '{path}' cannot be read ({reason}). Nothing was changed, and no stage of the book runs until it can be read. " +
                   "Fix the file (a JSON object of stage names, each \"success\", \"failed\" or null), or move its run folder aside to start the book in a new one.") => Path = path;

        /// <summary>The damaged file.</summary>
        public string Path { get; }
    }
}
