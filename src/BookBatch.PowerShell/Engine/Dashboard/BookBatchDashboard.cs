using System;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>A dashboard started by Start-BookBatchDashboard: where to open it, and whether it still runs.</summary>
    public sealed class BookBatchDashboard
    {
        private static int s_lastId;
        private readonly DashboardServer _server;
        private readonly IWorkspaceCoordination _store;

        private BookBatchDashboard(DashboardServer server, IWorkspaceCoordination store, Workspace workspace, string address)
        {
            _server = server;
            _store = store;
            Id = Interlocked.Increment(ref s_lastId);
            Workspace = workspace.Root;
            ListenAddress = address;
            Started = DateTimeOffset.Now;
        }

        /// <summary>
        /// Starts a dashboard (see <see cref="DashboardServer.Start"/>) that reads the workspace through <paramref name="store"/>,
        /// which it owns from now on: it is closed when the dashboard stops, or at once when it cannot start.
        /// </summary>
        public static BookBatchDashboard Start(Workspace workspace, IWorkspaceCoordination store, string address, int port, string? token)
        {
            try { return new(DashboardServer.Start(workspace, store, address, port, token), store, workspace, address); }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        /// <summary>A number for this session's dashboards, in the order they started (Stop-BookBatchDashboard stops one by its -Port).</summary>
        public int Id { get; }
        /// <summary>The page's address; it carries the access token when there is one.</summary>
        public string Url => _server.Url;
        /// <summary>The workspace it shows.</summary>
        public string Workspace { get; }
        /// <summary>The address it listens on.</summary>
        public string ListenAddress { get; }
        /// <summary>The port it listens on.</summary>
        public int Port => _server.Port;
        /// <summary>When it started.</summary>
        public DateTimeOffset Started { get; }
        /// <summary>True until it is stopped.</summary>
        public bool Running { get; private set; } = true;

        /// <summary>Stops it: the port is closed and the workspace is no longer read.</summary>
        public void Stop()
        {
            Running = false;
            _server.Dispose();
            _store.Dispose();
        }
    }
}
