using System;
using System.Management.Automation;
using System.Threading;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// What every BookBatch cmdlet shares: a cancellation token that Ctrl+C (StopProcessing) cancels, and the
    /// mapping of engine exceptions to ErrorRecords.
    /// </summary>
    public abstract class BookBatchCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new();

        /// <summary>Cancelled when the pipeline is stopped.</summary>
        protected CancellationToken Cancellation => _cancellation.Token;

        /// <inheritdoc />
        protected override void StopProcessing() => _cancellation.Cancel();

        /// <summary>Releases the cancellation source and what the cmdlet opened; PowerShell calls this when the pipeline is done with the cmdlet.</summary>
        public void Dispose()
        {
            Release();
            _cancellation.Dispose();
        }

        /// <summary>Releases what a cmdlet opened for its call (a workspace's store); called once, by <see cref="Dispose"/>.</summary>
        protected virtual void Release() { }

        /// <summary>Resolves a path the way PowerShell users expect: relative to the current file-system location.</summary>
        protected string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        /// <summary>
        /// Runs one unit of work; a known engine failure becomes a non-terminating error for <paramref name="target"/>
        /// (or a terminating one when <paramref name="terminating"/>), a cancellation becomes a pipeline stop.
        /// </summary>
        protected bool Try(Action work, object? target, bool terminating = false)
        {
            try
            {
                work();
                return true;
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (Errors.IsKnown(e))
            {
                var record = Errors.From(e, target);
                // A damaged or locked database stops the whole call: every further book would fail the same way.
                if (terminating || e is LedgerCorruptException or WorkspaceLockedException) ThrowTerminatingError(record);
                WriteError(record);
                return false;
            }
        }
    }
}
