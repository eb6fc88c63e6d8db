using System;

namespace BookBatch.Engine.Postgres
{
    /// <summary>A PostgreSQL store cannot be used as it is; the message names the connection (never the password) and says what to do.</summary>
    public abstract class StoreException : Exception
    {
        /// <summary>Creates the error of a connection.</summary>
        protected StoreException(string connection, string message, Exception? inner) : base(message, inner) => Connection = connection;

        /// <summary>The connection, <c>host:port/database as user</c>.</summary>
        public string Connection { get; }
    }
}
