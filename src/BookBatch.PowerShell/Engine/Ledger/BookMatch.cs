using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Ledger
{
    /// <summary>What a lookup of one book in the ledger found.</summary>
    public sealed class BookMatch
    {
        private static readonly LedgerEntry[] None = Array.Empty<LedgerEntry>();

        private BookMatch(LedgerEntry? entry, IReadOnlyList<LedgerEntry> ambiguous)
        {
            Entry = entry;
            Ambiguous = ambiguous;
        }

        /// <summary>The one recorded book that is this book, if any.</summary>
        public LedgerEntry? Entry { get; }

        /// <summary>The recorded books a title-only line could mean, when it could mean more than one.</summary>
        public IReadOnlyList<LedgerEntry> Ambiguous { get; }

        /// <summary>True when a title-only line matches several recorded books.</summary>
        public bool IsAmbiguous => Ambiguous.Count > 0;

        internal static readonly BookMatch NotFound = new(null, None);
        internal static BookMatch Found(LedgerEntry entry) => new(entry, None);
        internal static BookMatch Several(IReadOnlyList<LedgerEntry> entries) => new(null, entries);
    }
}
