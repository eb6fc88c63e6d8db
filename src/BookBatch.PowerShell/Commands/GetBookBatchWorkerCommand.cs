using System.Management.Automation;
using BookBatch.Engine.Coordination;

namespace BookBatch.Commands
{
    /// <summary>Lists the workers of the workspace's queue that are alive now (on every server of a PostgreSQL store), with what each last reported.</summary>
    [Cmdlet(VerbsCommon.Get, "BookBatchWorker")]
    [OutputType(typeof(WorkerStatus))]
    public sealed class GetBookBatchWorkerCommand : WorkspaceCmdlet
    {
        /// <inheritdoc />
        protected override void EndProcessing()
        {
            System.Collections.Generic.IReadOnlyList<WorkerStatus>? workers = null;
            if (!Try(() => workers = Coordination.Queue.Workers(), CurrentWorkspace.Root, terminating: true)) return;
            foreach (var worker in workers!) WriteObject(worker);
        }
    }
}
