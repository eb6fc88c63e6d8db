using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using BookBatch.Engine.Dashboard;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Stops dashboards that Start-BookBatchDashboard started in the background of this session: the ones piped in, by -Id, or all of them.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "BookBatchDashboard", SupportsShouldProcess = true, DefaultParameterSetName = AllParameterSet)]
    [OutputType(typeof(BookBatchDashboard))]
    public sealed class StopBookBatchDashboardCommand : PSCmdlet
    {
        private const string AllParameterSet = "All";
        private const string InputParameterSet = "InputObject";
        private const string IdParameterSet = "Id";

        /// <summary>A dashboard Start-BookBatchDashboard wrote.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputParameterSet)]
        public BookBatchDashboard? InputObject { get; set; }

        /// <summary>The Id of a dashboard of this session.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdParameterSet)]
        public int[] Id { get; set; } = new int[0];

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
                case IdParameterSet:
                    foreach (var id in Id)
                    {
                        var dashboard = running.FirstOrDefault(d => d.Id == id);
                        if (dashboard is null)
                            WriteError(Errors.Record(ErrorIds.DashboardNotFound, ErrorCategory.ObjectNotFound,
                                $"No dashboard of this session has Id {id}. The running ones: {(running.Count == 0 ? "none" : string.Join(", ", running.Select(d => d.Id + " (" + d.Url + ")")))}.", id));
                        else Stop(dashboard);
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
