using BookBatch.Engine.Postgres;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The check that makes a write fenced by a claim: in the writer's transaction, the claim's row still carries its token
    /// and its holder's session still holds the book's lock; the row is then locked <c>FOR SHARE</c>, so a takeover (which
    /// updates it) waits for the write to commit. A frozen writer cannot hold that up for long: its transaction is ended
    /// after the lease.
    /// </summary>
    internal static class ClaimFence
    {
        private static readonly string Check =
            "SELECT 1 FROM bookbatch_claims c WHERE c.book_key = @key AND c.token = @token AND " +
            AdvisoryLocks.Held("c", AdvisoryLocks.Claims) + " FOR SHARE OF c";

        /// <summary>Throws <see cref="ClaimLostException"/> when <paramref name="claim"/> is no longer its holder's.</summary>
        public static void Require(NpgsqlConnection connection, NpgsqlTransaction transaction, IBookClaim claim)
        {
            var ms = ((long)PostgresLibrary.DefaultLease.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            using (var timeout = new NpgsqlCommand($"SET LOCAL idle_in_transaction_session_timeout = {ms}", connection, transaction)) timeout.ExecuteNonQuery();
            using var command = new NpgsqlCommand(Check, connection, transaction);
            command.Parameters.AddWithValue("key", claim.Book.Key);
            command.Parameters.AddWithValue("token", claim.Token);
            if (command.ExecuteScalar() is null) throw new ClaimLostException(claim.Book.ToString(), claim.Token);
        }
    }
}
