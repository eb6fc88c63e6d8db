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
    /// <summary>What <c>Repair-BookDatabase</c> did, or would do.</summary>
    public enum BookDatabaseRepairAction
    {
        /// <summary>Nothing needed repair.</summary>
        None,
        /// <summary>The books of <c>database.json.bak</c> were restored.</summary>
        RestoredBackup,
        /// <summary>Books were read back out of the damaged file.</summary>
        SalvagedBooks,
        /// <summary>Entries recording the same book were merged into one.</summary>
        MergedDuplicates,
    }
}
