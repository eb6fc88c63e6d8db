using System;
using System.IO;
using System.Net.Sockets;
using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>What went wrong opening a connection, in the module's words: unreachable, or the login refused.</summary>
    internal static class ConnectionFailure
    {
        // SQLSTATE codes: invalid_password, invalid_authorization_specification, invalid_catalog_name (no such database).
        private const string InvalidPassword = "28P01";
        private const string InvalidAuthorization = "28000";
        private const string NoSuchDatabase = "3D000";

        /// <summary>The store error <paramref name="e"/> stands for, or null when it is none an operator can fix (a bug).</summary>
        public static StoreException? Of(Exception e, string connection, string passwordSource) => e switch
        {
            PostgresException { SqlState: InvalidPassword or InvalidAuthorization } => new StoreLoginFailedException(connection, passwordSource, e),
            PostgresException { SqlState: NoSuchDatabase } => new StoreUnreachableException(connection, "the server has no such database (create it with createdb)", e),
            // Npgsql's own refusal before asking the server: the server wants a password and none was given.
            NpgsqlException n when n.InnerException is null && n.Message.IndexOf("password", StringComparison.OrdinalIgnoreCase) >= 0
                => new StoreLoginFailedException(connection, passwordSource, e),
            NpgsqlException { InnerException: SocketException s } => new StoreUnreachableException(connection, s.Message, e),
            NpgsqlException { InnerException: TimeoutException or IOException } => new StoreUnreachableException(connection, "no answer in time", e),
            SocketException s => new StoreUnreachableException(connection, s.Message, e),
            _ => null,
        };
    }
}
