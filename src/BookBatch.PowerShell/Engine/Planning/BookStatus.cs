using System;
using BookBatch.Engine.Ledger;

namespace BookBatch.Engine.Planning
{
    /// <summary>A book's standing in the ledger and what a batch would do with it (the old system's <c>check_book_status</c>).</summary>
    public sealed class BookStatus
    {
        private static readonly LedgerFields NotRecorded = new();
        private readonly ReadOnlyMemory<byte> _json;
        private LedgerFields? _fields;

        internal BookStatus(string title, string? author, BookState status, BookAction action, LedgerEntry? entry, string workspace,
            string? holdReason = null)
        {
            HoldReason = holdReason;
            Title = title;
            Author = author;
            Status = status;
            Action = action;
            InDatabase = entry != null;
            Workspace = workspace;
            // A plan makes one status per book and shows the details of few: an unchanged entry's details are read
            // from its bytes (which never change) when first asked for; a changed entry's are copied now.
            if (entry is null) _fields = NotRecorded;
            else if (entry.TryGetUnchanged(out var json, out _)) _json = json;
            else _fields = entry.CopyFields();
        }

        private LedgerFields Fields => _fields ??= LedgerFields.Read(_json);

        /// <summary>The title, as recorded (or as given, for a book not in the database).</summary>
        public string Title { get; }

        /// <summary>The author, or null.</summary>
        public string? Author { get; }

        /// <summary>Done, Processing, Unknown (recorded without a known status) or New (not in the database).</summary>
        public BookState Status { get; }

        /// <summary>What the next batch will do: Skip, Resume, Process, InProgress or Review.</summary>
        public BookAction Action { get; }

        /// <summary>True when the book is in the database.</summary>
        public bool InDatabase { get; }

        /// <summary>
        /// The status as database.json has it, when it is one BookBatch does not know (<c>"published"</c>, say): such a book
        /// is Unknown and planned as new, like the old system did, so plans show this text and warn. Null otherwise.
        /// </summary>
        public string? UnknownStatusText => Status == BookState.Unknown && !string.IsNullOrWhiteSpace(Fields.Values[LedgerKeys.StatusSlot])
            ? Fields.Values[LedgerKeys.StatusSlot] : null;

        /// <summary>The published video.</summary>
        public string? YouTubeUrl => Fields.Values[LedgerKeys.YouTubeUrlSlot];

        /// <summary>The published short.</summary>
        public string? ShortUrl => Fields.Values[LedgerKeys.ShortUrlSlot];

        /// <summary>When the book was added to the database.</summary>
        public DateTime? DateAdded => LedgerEntry.DateOf(Fields.Values[LedgerKeys.DateAddedSlot]);

        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string? RunFolder => Fields.Values[LedgerKeys.RunFolderSlot];

        /// <summary>The last failure recorded for the book.</summary>
        public string? LastError => Fields.Values[LedgerKeys.LastErrorSlot];

        /// <summary>The publishing stage awaiting the operator's word, when the book is in Review.</summary>
        public string? ReviewStage => Fields.Values[LedgerKeys.ReviewSlot];

        /// <summary>What holds the book, when its action is InProgress or Review because of a batch or what a dead one left.</summary>
        public string? HoldReason { get; }

        /// <summary>The workspace folder whose database this status comes from.</summary>
        public string Workspace { get; }

        /// <summary>What the table's Details column shows: the URL of a done book, else the run folder or the last error.</summary>
        public string? Details => HoldReason ?? Status switch
        {
            BookState.Done => YouTubeUrl,
            BookState.New => "not in the database",
            _ => LastError ?? RunFolder,
        };

        /// <summary>The book as a book-list line.</summary>
        public override string ToString() => Author is null ? Title : Title + " | " + Author;
    }
}
