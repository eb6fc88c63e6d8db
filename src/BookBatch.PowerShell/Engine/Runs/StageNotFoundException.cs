using System;
using System.Collections.Generic;
using System.Linq;

namespace BookBatch.Engine.Runs
{
    /// <summary>A stage name that a run's <c>summary.json</c> does not have.</summary>
    public sealed class StageNotFoundException : Exception
    {
        /// <summary>Creates the error for the stage, the summary and the stages it has.</summary>
        public StageNotFoundException(string stage, string summaryPath, IEnumerable<string> stages)
            : base(stages.Any()
                ? $"The run '{summaryPath}' has no stage '{stage}'. Its stages are: {string.Join(", ", stages)}."
                : $"The run '{summaryPath}' records no stages (the file is missing or empty), so there is no stage '{stage}' to reset. Reset the book without -FromStage.")
            => Stage = stage;

        /// <summary>The stage asked for.</summary>
        public string Stage { get; }
    }
}
