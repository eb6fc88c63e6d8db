using System.Management.Automation;
using BookBatch.Engine.Workers;

namespace BookBatch.Commands
{
    /// <summary>
    /// Pauses the workspace's queue for every worker at once (on every server of a PostgreSQL store): no worker starts a
    /// book until Resume-BookBatchQueue. Books already running go on to their end.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Suspend, "BookBatchQueue", SupportsShouldProcess = true)]
    [OutputType(typeof(BookBatchQueueState))]
    public sealed class SuspendBookBatchQueueCommand : QueueSwitchCmdlet
    {
        /// <inheritdoc />
        protected override bool Pauses => true;
    }
}
