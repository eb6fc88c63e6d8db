using System;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>The dashboard could not listen on the port (in use, or not allowed).</summary>
    public sealed class DashboardListenException : Exception
    {
        /// <summary>Creates the error for the address and port.</summary>
        public DashboardListenException(string address, int port, Exception inner)
            : base($"The dashboard cannot listen on {address}:{port}: {inner.Message}. Choose another -Port, or -Port 0 for a free one.", inner) { }
    }
}
