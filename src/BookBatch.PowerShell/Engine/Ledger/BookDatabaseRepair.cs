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
    /// <summary>One step of a database repair.</summary>
    public sealed class BookDatabaseRepair
    {
        internal BookDatabaseRepair(BookDatabaseRepairAction action, int books, string message, string? savedCopy = null)
        {
            Action = action;
            Books = books;
            Message = message;
            SavedCopy = savedCopy;
        }

        /// <summary>What was done.</summary>
        public BookDatabaseRepairAction Action { get; }
        /// <summary>How many books the step concerns.</summary>
        public int Books { get; }
        /// <summary>What was done, in words.</summary>
        public string Message { get; }
        /// <summary>Where the damaged file was kept, when it was.</summary>
        public string? SavedCopy { get; internal set; }
    }
}
