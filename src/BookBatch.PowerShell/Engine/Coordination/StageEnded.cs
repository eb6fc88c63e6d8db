using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination
{
    /// <summary>What ending a leftover stage did.</summary>
    public sealed class StageEnded
    {
        internal StageEnded(bool wasRunning, AfterStageEnded after)
        {
            WasRunning = wasRunning;
            After = after;
        }

        /// <summary>False when the process had ended on its own before it could be ended (its end is recorded all the same).</summary>
        public bool WasRunning { get; }

        /// <summary>What the book's next batch does about the stage.</summary>
        public AfterStageEnded After { get; }
    }
}
