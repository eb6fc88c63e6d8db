using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BookBatch.Engine.Dashboard;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Starts a live, read-only web page of a workspace: the books in flight and what each waits for, the stages' places
    /// and rate windows, the current and recent batches with their timelines, the history. It listens on 127.0.0.1 unless
    /// told otherwise (then only with an access token), runs in the background of the session until
    /// Stop-BookBatchDashboard or the session's end, or with -Wait in the foreground until Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "BookBatchDashboard")]
    [OutputType(typeof(BookBatchDashboard))]
    public sealed class StartBookBatchDashboardCommand : WorkspaceCmdlet
    {
        /// <summary>The port to listen on; 0 (the default) picks a free one. The object written says the URL.</summary>
        [Parameter(Position = 0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>The address to listen on; 127.0.0.1 (this machine only) by default. Any other needs -AccessToken.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ListenAddress { get; set; } = "127.0.0.1";

        /// <summary>A text every request must carry (<c>?token=</c> or <c>Authorization: Bearer</c>); required with an address other machines reach.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AccessToken { get; set; }

        /// <summary>Keeps the dashboard in the foreground until Ctrl+C (for a console of its own), instead of the background of the session.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var workspace = CurrentWorkspace;
            BookBatchDashboard dashboard;
            try { dashboard = BookBatchDashboard.Start(workspace, OpenStoreToKeep(), ListenAddress, Port, AccessToken); }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(Errors.Record(ErrorIds.DashboardAddressInvalid, ErrorCategory.InvalidArgument,
                    e.Message + " Give an IP address of this machine (e.g. 0.0.0.0 for all of them, with -AccessToken), or leave -ListenAddress out for 127.0.0.1.", ListenAddress));
                return;
            }
            catch (Exception e) when (e is DashboardTokenRequiredException or DashboardListenException)
            {
                ThrowTerminatingError(Errors.From(e, e is DashboardTokenRequiredException ? ListenAddress : $"{ListenAddress}:{Port}"));
                return;
            }
            if (!Wait)
            {
                DashboardSessions.Add(dashboard, Runspace.DefaultRunspace);
                WriteObject(dashboard);
                return;
            }
            WriteObject(dashboard);
            Host.UI.WriteLine($"The dashboard of {workspace.Root} is at {dashboard.Url} — Ctrl+C stops it.");
            try { Cancellation.WaitHandle.WaitOne(); }
            finally { dashboard.Stop(); }
        }
    }
}
