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

        private BookBatchDashboard(DashboardServer server, Workspace workspace, string address)
        {
            _server = server;
            Id = Interlocked.Increment(ref s_lastId);
            Workspace = workspace.Root;
            ListenAddress = address;
            Started = DateTimeOffset.Now;
        }

        /// <summary>Starts a dashboard (see <see cref="DashboardServer.Start"/>).</summary>
        public static BookBatchDashboard Start(Workspace workspace, IWorkspaceCoordination coordination, string address, int port, string? token) =>
            new(DashboardServer.Start(workspace, coordination, address, port, token), workspace, address);

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
        }
    }
}
