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
    /// <summary>
    /// What a book's next batch does about a stage that was ended on purpose (docs/ARCHITECTURE.md, "Resume").
    /// </summary>
    public enum AfterStageEnded
    {
        /// <summary>The stage does not publish: the next batch runs it again.</summary>
        RunsAgain,
        /// <summary>A publishing stage that had reported its URL: the next batch records it from its outputs and does not run it again.</summary>
        RecordedFromOutputs,
        /// <summary>A publishing stage ended before it reported a URL: the next batch asks its verify command whether it published.</summary>
        AskVerify,
        /// <summary>A publishing stage ended before it reported a URL, without a verify command: the book waits for the operator.</summary>
        Review,
    }
}
