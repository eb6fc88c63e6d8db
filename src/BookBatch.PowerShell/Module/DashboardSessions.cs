using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using BookBatch.Engine.Dashboard;

namespace BookBatch.Module
{
    /// <summary>
    /// The dashboards running in the background of this process, each with the runspace that started it: they stop
    /// with Stop-BookBatchDashboard, when that runspace closes, or when the module is removed.
    /// </summary>
    internal static class DashboardSessions
    {
        private static readonly List<(BookBatchDashboard Dashboard, Runspace? Runspace)> s_running = new();

        /// <summary>Keeps a dashboard until it is stopped or its runspace closes.</summary>
        public static void Add(BookBatchDashboard dashboard, Runspace? runspace)
        {
            lock (s_running)
            {
                if (runspace != null && s_running.All(r => r.Runspace != runspace)) runspace.StateChanged += RunspaceChanged;
                s_running.Add((dashboard, runspace));
            }
        }

        /// <summary>The running dashboards of a runspace, oldest first.</summary>
        public static List<BookBatchDashboard> Of(Runspace? runspace)
        {
            lock (s_running) return s_running.Where(r => r.Runspace == runspace && r.Dashboard.Running).Select(r => r.Dashboard).ToList();
        }

        /// <summary>Stops a dashboard and forgets it.</summary>
        public static void Stop(BookBatchDashboard dashboard)
        {
            lock (s_running) s_running.RemoveAll(r => r.Dashboard == dashboard);
            dashboard.Stop();
        }

        /// <summary>Stops every dashboard (the module is being removed).</summary>
        public static void StopAll()
        {
            List<BookBatchDashboard> all;
            lock (s_running)
            {
                all = s_running.Select(r => r.Dashboard).ToList();
                s_running.Clear();
            }
            foreach (var dashboard in all) dashboard.Stop();
        }

        private static void RunspaceChanged(object? sender, RunspaceStateEventArgs e)
        {
            if (sender is not Runspace runspace || (e.RunspaceStateInfo.State != RunspaceState.Closing && e.RunspaceStateInfo.State != RunspaceState.Closed && e.RunspaceStateInfo.State != RunspaceState.Broken)) return;
            List<BookBatchDashboard> closing;
            lock (s_running)
            {
                closing = s_running.Where(r => r.Runspace == runspace).Select(r => r.Dashboard).ToList();
                s_running.RemoveAll(r => r.Runspace == runspace);
                runspace.StateChanged -= RunspaceChanged;
            }
            foreach (var dashboard in closing) dashboard.Stop();
        }
    }
}
