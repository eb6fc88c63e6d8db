using System.Threading;
using Npgsql;

namespace BookBatch.Postgres
{
    /// <summary>
    /// The session advisory locks of claims and places: two keys, a space of BookBatch's own (apart from the migration's
    /// one-key lock and the ledger's title locks) and <c>hashtext</c> of a name. Two names that hash alike share a lock,
    /// which only ever makes one wait for the other, never lets two in.
    /// </summary>
    internal static class AdvisoryLocks
    {
        /// <summary>Books' claims ("BC").</summary>
        public const int Claims = 0x4243;
        /// <summary>Stages' places ("BP").</summary>
        public const int Places = 0x4250;
        /// <summary>Stages' rate windows, transaction-scoped ("BR").</summary>
        public const int Rates = 0x4252;
        /// <summary>Workers of the queue ("BW").</summary>
        public const int Workers = 0x4257;

        /// <summary>
        /// The SQL condition "the row <paramref name="alias"/> (with <c>lock_key</c> and <c>backend_pid</c>) is held now":
        /// its session holds its lock, as <c>pg_locks</c> shows without waiting on any lock.
        /// </summary>
        public static string Held(string alias, int space) =>
            "EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2" +
            $" AND l.classid::bigint = {space} AND l.objid::bigint = ({alias}.lock_key::bigint & 4294967295)" +
            $" AND l.pid = {alias}.backend_pid AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))";

        /// <summary>Takes the session lock of <paramref name="name"/> if it is free.</summary>
        public static bool TryLock(NpgsqlConnection connection, int space, string name)
        {
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@space, hashtext(@name))", connection);
            command.Parameters.AddWithValue("space", space);
            command.Parameters.AddWithValue("name", name);
            return (bool)command.ExecuteScalar()!;
        }

        /// <summary>Takes the transaction lock of <paramref name="name"/>, waiting for it (the transaction's end gives it back).</summary>
        public static void LockForTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, int space, string name, CancellationToken cancellation)
        {
            using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@space, hashtext(@name))", connection, transaction);
            command.Parameters.AddWithValue("space", space);
            command.Parameters.AddWithValue("name", name);
            using (cancellation.Register(command.Cancel)) command.ExecuteNonQuery();
        }

        /// <summary>Gives the session lock of <paramref name="name"/> back.</summary>
        public static void Unlock(NpgsqlConnection connection, int space, string name)
        {
            using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@space, hashtext(@name))", connection);
            command.Parameters.AddWithValue("space", space);
            command.Parameters.AddWithValue("name", name);
            command.ExecuteScalar();
        }
    }
}
