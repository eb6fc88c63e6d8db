using System;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>Everything the parts of a running batch share.</summary>
    internal sealed class BatchContext
    {
        public BatchContext(Workspace workspace, IWorkspaceCoordination coordination, PipelineSettings settings, BatchOptions options,
            string batchId, Func<StageSettings, IStageRunner> runners, IBatchObserver observer, BatchJournal journal, IClock clock)
        {
            Clock = clock;
            Workspace = workspace;
            Settings = settings;
            Options = options;
            BatchId = batchId;
            Runners = runners;
            Observer = observer;
            Journal = journal;
            Coordination = coordination;
            Records = new BookRecords(coordination);
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
        /// <summary>The time the batch schedules by.</summary>
        public IClock Clock { get; }
    }
}
