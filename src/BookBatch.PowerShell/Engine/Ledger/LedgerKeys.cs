using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BookBatch.Engine.Ledger
{
    /// <summary>The keys of a book in <c>database.json</c>: the old system's, and the ones BookBatch adds.</summary>
    public static class LedgerKeys
    {
        /// <summary>The top-level array of books.</summary>
        public const string Books = "books";
        /// <summary>The book's title (old system).</summary>
        public const string Title = "main_title";
        /// <summary>The book's author (old system).</summary>
        public const string Author = "author_name";
        /// <summary>"done", "processing" or null (old system).</summary>
        public const string Status = "status";
        /// <summary>The published video (old system).</summary>
        public const string YouTubeUrl = "youtube_url";
        /// <summary>The published short (old system).</summary>
        public const string ShortUrl = "short_url";
        /// <summary>When the book was added, local time, ISO 8601 without offset (old system).</summary>
        public const string DateAdded = "date_added";
        /// <summary>The run folder's name under <c>runs/</c> (old system).</summary>
        public const string RunFolder = "run_folder";
        /// <summary>When BookBatch last changed the entry (BookBatch).</summary>
        public const string UpdatedAt = "updated_at";
        /// <summary>The last failure recorded for the book (BookBatch).</summary>
        public const string LastError = "last_error";
        /// <summary>
        /// The publishing stage whose cut-off attempt may or may not have published, until the operator says which
        /// (BookBatch): the book is planned Review and is not published again meanwhile.
        /// </summary>
        public const string Review = "review";

        /// <summary>
        /// True for an absolute http or https URL: the only URLs recorded as a book's published video (a stage's
        /// <c>javascript:</c> or <c>file:</c> URL would be shown and followed as if it were one).
        /// </summary>
        public static bool IsWebUrl(string? text) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;

        /// <summary>the old system's keys, in its order: always written.</summary>
        internal static readonly string[] OldSystem = { Title, Author, Status, YouTubeUrl, ShortUrl, DateAdded, RunFolder };

        /// <summary>BookBatch's own keys: written only when they have a value.</summary>
        internal static readonly string[] Added = { UpdatedAt, LastError, Review };

        /// <summary>The status values of the old system's format.</summary>
        public const string StatusDone = "done";
        /// <summary>The status values of the old system's format.</summary>
        public const string StatusProcessing = "processing";

        /// <summary>The old system's timestamp format (Python's <c>isoformat()</c> without fractions).</summary>
        public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss";

        internal static string Timestamp(DateTime local) => local.ToString(TimestampFormat, CultureInfo.InvariantCulture);

        /// <summary>Every known key by slot: the old system's, then BookBatch's.</summary>
        internal static readonly string[] Known = OldSystem.Concat(Added).ToArray();

        /// <summary>The known keys as UTF-8, by slot, to compare with the file's bytes.</summary>
        internal static readonly byte[][] KnownUtf8 = Known.Select(Encoding.UTF8.GetBytes).ToArray();

        /// <summary>The slots of the known keys, in <see cref="Known"/>.</summary>
        internal const int TitleSlot = 0, AuthorSlot = 1, StatusSlot = 2, YouTubeUrlSlot = 3, ShortUrlSlot = 4, DateAddedSlot = 5,
            RunFolderSlot = 6, UpdatedAtSlot = 7, LastErrorSlot = 8, ReviewSlot = 9;

        /// <summary>The slot of a known key, or -1.</summary>
        internal static int SlotOf(string key) => Array.IndexOf(Known, key);
    }
}
