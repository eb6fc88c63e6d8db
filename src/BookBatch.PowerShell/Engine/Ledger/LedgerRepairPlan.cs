using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Ledger
{
    /// <summary>A repair worked out and not yet written: see <see cref="Coordination.IBookDatabaseUpkeep.PlanRepair"/>.</summary>
    public sealed class LedgerRepairPlan
    {
        internal LedgerRepairPlan(BookLedger? result, List<BookDatabaseRepair> steps, byte[]? original, string? damagedCopy)
        {
            Result = result;
            Steps = steps;
            OriginalHash = original is null ? null : Hash(original);
            DamagedCopy = damagedCopy;
        }

        /// <summary>A plan with nothing to do: the database needs no repair.</summary>
        public static LedgerRepairPlan Nothing => new(null, new List<BookDatabaseRepair>(), null, null);

        /// <summary>The ledger the repair would write (null when there is nothing to write).</summary>
        public BookLedger? Result { get; }
        /// <summary>What the repair does, step by step.</summary>
        public IReadOnlyList<BookDatabaseRepair> Steps { get; }
        /// <summary>Where the damaged file will be kept before it is replaced (null when the file is not damaged).</summary>
        public string? DamagedCopy { get; }
        /// <summary>True when there is something to write.</summary>
        public bool HasWork => Result != null && Steps.Count > 0;
        internal string? OriginalHash { get; }

        internal static string Hash(byte[] bytes)
        {
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(bytes));
        }
    }
}
