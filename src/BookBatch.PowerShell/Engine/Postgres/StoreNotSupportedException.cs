using System;

namespace BookBatch.Engine.Postgres
{
    /// <summary>A command that does not work on a PostgreSQL store yet was refused before it read or changed anything.</summary>
    public sealed class StoreNotSupportedException : StoreException
    {
        /// <summary>Creates the refusal of <paramref name="what"/> on the store <paramref name="connection"/>; <paramref name="instead"/> says what to do.</summary>
        public StoreNotSupportedException(string connection, string what, string instead)
            : base(connection, $"{what} does not work on a PostgreSQL store yet, and this workspace keeps its books in {connection}: " +
                               $"nothing was read or changed. {instead}", null) { }
    }
}
