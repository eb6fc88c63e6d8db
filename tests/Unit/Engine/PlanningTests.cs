using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class PlanningTests
    {
        [Fact]
        public void AStatusKeepsTheDetailsTheEntryHadWhenItWasMade()
        {
            var ledger = LedgerJson.Parse(Encoding.UTF8.GetBytes(LedgerJsonTests.OldSystemDatabase), "database.json");
            var unchanged = ledger.Books[0];
            var status = BookPlanner.StatusOf(unchanged, "ws");
            var changed = ledger.Books[1];
            changed.LastError = "render failed";
            var changedStatus = BookPlanner.StatusOf(changed, "ws");

            unchanged.YouTubeUrl = "https://youtube.com/watch?v=new";
            unchanged.DateAdded = null;
            changed.LastError = "upload failed";

            Assert.Equal("https://youtube.com/watch?v=abc", status.YouTubeUrl);
            Assert.Equal("https://youtube.com/shorts/def", status.ShortUrl);
            Assert.Equal("2025-10-19_10-30-00_Atomic-Habits", status.RunFolder);
            Assert.Equal(new DateTime(2025, 10, 19, 10, 30, 0), status.DateAdded);
            Assert.Equal("render failed", changedStatus.LastError);
            Assert.Equal("2025-10-20_08-00-00_Deep-Work", changedStatus.RunFolder);
            Assert.False(BookPlanner.StatusOfNew(new Book("New"), "ws").InDatabase);
            Assert.Null(BookPlanner.StatusOfNew(new Book("New"), "ws").DateAdded);
        }

        [Fact]
        public void TheKnownKeySlotsNameTheirKeys()
        {
            var slots = new[]
            {
                (LedgerKeys.TitleSlot, LedgerKeys.Title), (LedgerKeys.AuthorSlot, LedgerKeys.Author), (LedgerKeys.StatusSlot, LedgerKeys.Status),
                (LedgerKeys.YouTubeUrlSlot, LedgerKeys.YouTubeUrl), (LedgerKeys.ShortUrlSlot, LedgerKeys.ShortUrl), (LedgerKeys.DateAddedSlot, LedgerKeys.DateAdded),
                (LedgerKeys.RunFolderSlot, LedgerKeys.RunFolder), (LedgerKeys.UpdatedAtSlot, LedgerKeys.UpdatedAt), (LedgerKeys.LastErrorSlot, LedgerKeys.LastError),
                (LedgerKeys.ReviewSlot, LedgerKeys.Review),
            };
            Assert.Equal(LedgerKeys.Known.Length, slots.Length);
            Assert.All(slots, s => Assert.Equal(s.Item2, LedgerKeys.Known[s.Item1]));
        }

        [Fact]
        public void ALeaseFileIsNamedByTheHashOfTheBookAsBefore()
        {
            // A batch of an older BookBatch may hold a book: its lock file must be the one this version checks.
            using var temp = new TempWorkspace();
            var book = new Book("Caf\u00e9  Stories", "Ren\u00e9e");
            using var sha = SHA256.Create();
            var name = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(book.Key)), 0, 12).Replace("-", string.Empty).ToLowerInvariant();
            using (BookLease.TryAcquire(temp.Workspace, book, "b1"))
            {
                Assert.True(File.Exists(temp.Workspace.LeaseLockPath(name)));
                Assert.Equal("b1", BookLease.HolderOf(temp.Workspace, book)?.Batch);
            }
        }

        [Fact]
        public void APlanSeesHeldBooksFromOneListingAndIgnoresHoldersThatDied()
        {
            using var temp = new TempWorkspace();
            var held = new Book("Held Book", "A");
            var free = new Book("Free Book", "A");
            var died = new Book("Died Book", "A");
            Assert.Null(BookHolds.Reader(temp.Workspace, null)(held, null)); // no lease folder yet

            // A holder that died leaves its holder file behind, but the OS freed its lock.
            var holdersFolder = temp.Workspace.LeaseHoldersPath;
            string diedHolder;
            using (BookLease.TryAcquire(temp.Workspace, died, "b0"))
            {
                diedHolder = Directory.GetFiles(holdersFolder).Single();
                File.Copy(diedHolder, Path.Combine(temp.Workspace.Root, "kept.json"));
            }
            Assert.Empty(Directory.GetFiles(holdersFolder)); // a lease given up deletes its holder file
            File.Move(Path.Combine(temp.Workspace.Root, "kept.json"), diedHolder);

            using var lease1 = BookLease.TryAcquire(temp.Workspace, held, "b1");
            var holds = BookHolds.Reader(temp.Workspace, null);
            Assert.Contains("batch b1 ", holds(held, null)?.Reason);
            Assert.Equal(BookAction.InProgress, holds(held, null)?.Action);
            Assert.Null(holds(free, null));
            Assert.Null(holds(died, null));
        }
    }
}
