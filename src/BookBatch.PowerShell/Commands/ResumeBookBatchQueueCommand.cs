using System.Management.Automation;
using BookBatch.Engine.Workers;

namespace BookBatch.Commands
{
    /// <summary>Lets every worker of the workspace's queue take books again after Suspend-BookBatchQueue.</summary>
    [Cmdlet(VerbsLifecycle.Resume, "BookBatchQueue", SupportsShouldProcess = true)]
    [OutputType(typeof(BookBatchQueueState))]
    public sealed class ResumeBookBatchQueueCommand : QueueSwitchCmdlet
    {
        /// <inheritdoc />
        protected override bool Pauses => false;
    }
}
