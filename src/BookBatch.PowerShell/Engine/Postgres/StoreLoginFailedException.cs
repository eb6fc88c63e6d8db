using System;

namespace BookBatch.Engine.Postgres
{
    /// <summary>The PostgreSQL server refused the login: a wrong or missing password, or a user it does not know.</summary>
    public sealed class StoreLoginFailedException : StoreException
    {
        /// <summary>Creates the error; <paramref name="passwordSource"/> says where the password came from.</summary>
        public StoreLoginFailedException(string connection, string passwordSource, Exception? inner)
            : base(connection, $"The PostgreSQL server refused the login {connection} (the password came from {passwordSource}). " +
                               "Give the right password with -Credential, in the environment variable that \"store.passwordVariable\" names, " +
                               "or in a pgpass file (PGPASSFILE or ~/.pgpass), then try again. Nothing was changed.", inner) { }
    }
}
