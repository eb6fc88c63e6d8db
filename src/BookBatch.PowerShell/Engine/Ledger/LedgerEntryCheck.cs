using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// The checks of a ledger's books, whichever store keeps them (Test-BookDatabase): a book recorded twice, an unknown
    /// status, a done book without its URL, a run folder that is unsafe or gone.
    /// </summary>
    internal static class LedgerEntryCheck
    {
        /// <summary>
        /// Adds the problems of <paramref name="ledger"/>'s books to <paramref name="issues"/>; <paramref name="runFolderPath"/>
        /// gives a run folder's path under the workspace's runs/ (null for an unsafe name). Reads only.
        /// </summary>
        public static void Add(Func<string?, string?> runFolderPath, BookLedger ledger, List<BookDatabaseIssue> issues)
        {
            foreach (var group in Duplicates(ledger))
                issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.Duplicate, BookDatabaseIssueSeverity.Error, group[0].Book.ToString(),
                    $"'{group[0].Book}' is recorded {group.Count} times. Run Repair-BookDatabase to merge the entries into one."));

            foreach (var entry in ledger.Books)
            {
                var book = entry.Book.ToString();
                if (entry.State == BookState.Unknown && entry.StatusText != null)
                    issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.UnknownStatus, BookDatabaseIssueSeverity.Warning, book,
                        $"'{book}' has the status '{entry.StatusText}', which is neither 'done' nor 'processing'; a batch processes it as new."));
                if (entry.State == BookState.Done && string.IsNullOrEmpty(entry.YouTubeUrl))
                    issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.DoneWithoutUrl, BookDatabaseIssueSeverity.Warning, book,
                        $"'{book}' is done but has no YouTube URL. Record it with Complete-Book -YouTubeUrl."));
                if (entry.RunFolder is null) continue;
                var folder = runFolderPath(entry.RunFolder);
                if (folder is null)
                    issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.UnsafeRunFolder, BookDatabaseIssueSeverity.Error, book,
                        $"'{book}' names the run folder '{entry.RunFolder}', which is not a plain folder name under runs/. BookBatch will not use it; reset the book with Reset-Book to start a new folder."));
                else if (entry.State == BookState.Processing && !Directory.Exists(folder))
                    issues.Add(new BookDatabaseIssue(BookDatabaseIssueKind.MissingRunFolder, BookDatabaseIssueSeverity.Warning, book,
                        $"'{book}' is processing but its run folder '{entry.RunFolder}' is gone; the next batch starts a new folder."));
            }
        }

        /// <summary>Groups of entries that record the same book (same title and author), in file order.</summary>
        public static IEnumerable<List<LedgerEntry>> Duplicates(BookLedger ledger) =>
            ledger.Books.GroupBy(e => e.Book.Key).Where(g => g.Count() > 1).Select(g => g.ToList());
    }
}
