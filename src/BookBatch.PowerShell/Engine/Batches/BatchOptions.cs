using System;
using System.Collections.Generic;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>How one batch runs: the settings' defaults overridden by the cmdlet's parameters.</summary>
    public sealed class BatchOptions
    {
        /// <summary>public, unlisted or private.</summary>
        public string Privacy { get; set; } = "unlisted";
        /// <summary>The pause between starting two books.</summary>
        public TimeSpan Delay { get; set; }
        /// <summary>The time-out of one book, all stages together.</summary>
        public TimeSpan BookTimeout { get; set; } = PipelineSettings.DefaultBookTimeout;
        /// <summary>How many books may be in flight at once (1: one after the other, as the seed did).</summary>
        public int ThrottleLimit { get; set; } = 1;
        /// <summary>Process books that are already done (-Force).</summary>
        public bool Force { get; set; }
        /// <summary>The books (by index) the operator declined at the confirmation.</summary>
        public ISet<int> Declined { get; set; } = new HashSet<int>();
        /// <summary>Recipients added to every mail target for this batch (-MailTo).</summary>
        public IReadOnlyList<string> MailTo { get; set; } = Array.Empty<string>();
    }

    /// <summary>Everything the parts of a running batch share.</summary>
    internal sealed class BatchContext
    {
        public BatchContext(Workspace workspace, IWorkspaceCoordination coordination, PipelineSettings settings, BatchOptions options,
            string batchId, Func<StageSettings, IStageRunner> runners, IBatchObserver observer, BatchJournal journal)
        {
            Workspace = workspace;
            Settings = settings;
            Options = options;
            BatchId = batchId;
            Runners = runners;
            Observer = observer;
            Journal = journal;
            Coordination = coordination;
            Records = new BookRecords(coordination.Ledger);
        }

        public Workspace Workspace { get; }
        public PipelineSettings Settings { get; }
        public BatchOptions Options { get; }
        public string BatchId { get; }
        public Func<StageSettings, IStageRunner> Runners { get; }
        public IBatchObserver Observer { get; }
        public BatchJournal Journal { get; }
        /// <summary>The ledger, book holds, stage places and rate windows shared with the workspace's other batches.</summary>
        public IWorkspaceCoordination Coordination { get; }
        /// <summary>The books' writes to the ledger (start, review, stop, done), with the ends waiting for the next write.</summary>
        public BookRecords Records { get; }
    }
}
