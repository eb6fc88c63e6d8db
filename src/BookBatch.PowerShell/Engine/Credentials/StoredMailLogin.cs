using System;

namespace BookBatch.Engine.Credentials
{
    /// <summary>A mail login whose password is stored for the current user: which server and user it is for, never the password.</summary>
    public sealed class StoredMailLogin
    {
        internal StoredMailLogin(string server, string userName, DateTime saved, string path)
        {
            Server = server;
            UserName = userName;
            Saved = saved;
            Path = path;
        }

        /// <summary>The SMTP server the login is for, as an email target's <c>server</c> names it.</summary>
        public string Server { get; }
        /// <summary>The login's user name, as an email target's <c>userName</c> names it.</summary>
        public string UserName { get; }
        /// <summary>When the password was stored (UTC).</summary>
        public DateTime Saved { get; }
        /// <summary>The file that keeps it.</summary>
        public string Path { get; }

        /// <inheritdoc />
        public override string ToString() => $"{UserName} at {Server}";
    }
}
