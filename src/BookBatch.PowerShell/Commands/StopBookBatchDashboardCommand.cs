using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BookBatch.Engine.Dashboard;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Stops dashboards that Start-BookBatchDashboard started in the background of this session: the ones piped in, by -Port, or all of them.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "BookBatchDashboard", SupportsShouldProcess = true, DefaultParameterSetName = AllParameterSet)]
    [OutputType(typeof(BookBatchDashboard))]
    public sealed class StopBookBatchDashboardCommand : PSCmdlet
    {
        private const string AllParameterSet = "All";
        private const string InputParameterSet = "InputObject";
        private const string PortParameterSet = "Port";

        /// <summary>A dashboard Start-BookBatchDashboard wrote.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        public BookBatchDashboard? InputObject { get; set; }

        /// <summary>The port a dashboard of this session listens on, as Start-BookBatchDashboard -Port chose it (and its output shows).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PortParameterSet)]
        [ValidateRange(1, 65535)]
        public int[] Port { get; set; } = new int[0];

        /// <summary>Writes each dashboard stopped.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var running = DashboardSessions.Of(Runspace.DefaultRunspace);
            switch (ParameterSetName)
            {
                case InputParameterSet:
                    if (InputObject != null) Stop(InputObject);
                    break;
                case PortParameterSet:
                    foreach (var port in Port)
                    {
                        var onPort = running.Where(d => d.Port == port).ToList();
                        if (onPort.Count == 0)
                            WriteError(Errors.Record(ErrorIds.DashboardNotFound, ErrorCategory.ObjectNotFound,
                                $"No dashboard of this session listens on port {port}. The running ones: " +
                                $"{(running.Count == 0 ? "none" : string.Join(", ", running.Select(d => "port " + d.Port + " (" + d.Url + ")")))}; " +
                                "name one of their ports, or run Stop-BookBatchDashboard without -Port to stop them all.", port));
                        foreach (var dashboard in onPort) Stop(dashboard);
                    }
                    break;
                default:
                    foreach (var dashboard in running) Stop(dashboard);
                    break;
            }
        }

        private void Stop(BookBatchDashboard dashboard)
        {
            if (!dashboard.Running || !ShouldProcess($"{dashboard.Url} ({dashboard.Workspace})", "Stop the dashboard")) return;
            DashboardSessions.Stop(dashboard);
            if (PassThru) WriteObject(dashboard);
        }
    }
}
