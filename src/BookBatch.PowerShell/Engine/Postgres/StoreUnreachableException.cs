using System;

namespace BookBatch.Engine.Postgres
{
    /// <summary>The PostgreSQL server did not answer (down, wrong host or port, a firewall) or has no such database.</summary>
    public sealed class StoreUnreachableException : StoreException
    {
        /// <summary>Creates the error; <paramref name="reason"/> is what the driver said, without the password.</summary>
        public StoreUnreachableException(string connection, string reason, Exception? inner)
            : base(connection, $"The PostgreSQL store {connection} cannot be reached: {reason}. Check that the server runs and that " +
                               "host, port and database in the \"store\" section of bookbatch.json are right, then try again. Nothing was changed.", inner) { }
    }
}
