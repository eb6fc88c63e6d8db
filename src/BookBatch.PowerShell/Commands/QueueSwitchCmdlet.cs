using System.Management.Automation;
using BookBatch.Engine.Workers;

namespace BookBatch.Commands
{
    /// <summary>Suspend- and Resume-BookBatchQueue: one switch of the workspace's queue, for every worker at once.</summary>
    public abstract class QueueSwitchCmdlet : WorkspaceCmdlet
    {
        /// <summary>Writes the queue's state afterwards.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>True to pause the queue, false to let it go on.</summary>
        protected abstract bool Pauses { get; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var root = CurrentWorkspace.Root;
            var action = Pauses ? "Pause the queue: no worker starts a book until Resume-BookBatchQueue" : "Let every worker take books again";
            if (!ShouldProcess(root, action)) return;
            var queue = Coordination.Queue;
            var changed = false;
            if (!Try(() => changed = Pauses ? queue.Pause() : queue.Resume(), root, terminating: true)) return;
            WriteVerbose(changed ? (Pauses ? "The queue is paused." : "The queue runs again.") : (Pauses ? "The queue was paused already." : "The queue was not paused."));
            if (!PassThru) return;
            BookBatchQueueState? state = null;
            if (Try(() => state = new BookBatchQueueState(root, queue.PausedSince(), queue.Workers().Count), root, terminating: true)) WriteObject(state);
        }
    }
}
