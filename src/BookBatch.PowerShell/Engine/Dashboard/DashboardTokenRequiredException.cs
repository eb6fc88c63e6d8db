using System;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>An address other than the machine itself was asked for without an access token.</summary>
    public sealed class DashboardTokenRequiredException : Exception
    {
        /// <summary>Creates the error for the address.</summary>
        public DashboardTokenRequiredException(string address)
            : base($"The dashboard would listen on '{address}', which other machines can reach, without an access token. Give one with -AccessToken " +
                   "(a long random text; the page is then opened as <url>?token=<token>), or leave -ListenAddress out to listen on 127.0.0.1 only.") => Address = address;

        /// <summary>The address asked for.</summary>
        public string Address { get; }
    }
}
