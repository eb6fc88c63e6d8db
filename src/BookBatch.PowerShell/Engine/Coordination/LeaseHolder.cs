using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination
{
    /// <summary>Who holds a book: written beside the lease's lock file for display.</summary>
    public sealed class LeaseHolder
    {
        /// <summary>The book.</summary>
        public string Book { get; set; } = string.Empty;
        /// <summary>The holding batch's id.</summary>
        public string Batch { get; set; } = string.Empty;
        /// <summary>The machine it runs on.</summary>
        public string Host { get; set; } = string.Empty;
        /// <summary>Its process id.</summary>
        public int Pid { get; set; }
        /// <summary>Since when it holds the book.</summary>
        public DateTimeOffset Since { get; set; }

        /// <inheritdoc />
        public override string ToString() => $"batch {Batch} on {Host} (process {Pid}) since {Since:yyyy-MM-dd HH:mm:ss}";
    }
}
