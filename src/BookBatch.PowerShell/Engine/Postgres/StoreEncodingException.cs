namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The PostgreSQL database is encoded in a character set that cannot hold every title (LATIN1, WIN1252 ...): a
    /// title in another script would be refused mid-batch. BookBatch's schema is made only in a UTF8 (or SQL_ASCII,
    /// which keeps bytes as they are) database.
    /// </summary>
    public sealed class StoreEncodingException : StoreException
    {
        /// <summary>Creates the error of a connection and its database's encoding.</summary>
        public StoreEncodingException(string connection, string encoding)
            : base(connection, $"The PostgreSQL store {connection} is a database encoded as {encoding}, which cannot hold every title. " +
                               "Create the database as UTF8 (CREATE DATABASE <name> ENCODING 'UTF8' TEMPLATE template0), then run " +
                               "Update-BookBatchStore again. The database was not changed.", null)
        {
            Encoding = encoding;
        }

        /// <summary>The database's encoding, as PostgreSQL names it.</summary>
        public string Encoding { get; }

        /// <summary>True for an encoding that holds every title: UTF8, or SQL_ASCII, which stores the bytes it is sent.</summary>
        public static bool HoldsEveryTitle(string encoding) => encoding is "UTF8" or "SQL_ASCII";
    }
}
