using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// One book's damaged run folder is an error of that book: its own ErrorId, the batch goes on with the next book,
    /// no lease holder is left behind, and no stage that succeeded runs again because its record could not be read.
    /// </summary>
    public class RunFolderTests
    {
        private const string Folder = "2025-01-01_00-00-00_Damaged";

        // "Damaged" is processing in a run folder whose search and transcribe succeeded.
        private static BatchFixture Resumable()
        {
            var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("database.json"),
                "{\"books\": [{\"main_title\": \"Damaged\", \"author_name\": null, \"status\": \"processing\", \"run_folder\": \"" + Folder + "\"}]}");
            Directory.CreateDirectory(batch.Session.PathOf("runs", Folder));
            return batch;
        }

        private static void AssertNoHolderLeft(BatchFixture batch)
        {
            var holders = batch.Session.PathOf("batches", "leases", "holders");
            Assert.True(!Directory.Exists(holders) || Directory.GetFiles(holders).Length == 0,
                "a lease holder file was left behind: " + string.Join(", ", Directory.Exists(holders) ? Directory.GetFiles(holders) : new string[0]));
        }

        [Fact]
        public void ATruncatedSummaryFailsItsBookAndTheBatchGoesOn()
        {
            using var batch = Resumable();
            var summary = batch.Session.PathOf("runs", Folder, "summary.json");
            File.WriteAllText(summary, "{\"search\": \"success\", \"transcribe\": \"succ");
            var runFolder = WorkspaceSnapshot.Of(batch.Session.PathOf("runs", Folder));

            var result = batch.Session.Run("'Damaged', 'Healthy' | Invoke-BookBatch -DelaySeconds 0");

            Refusal.Assert(result, "RunSummaryCorrupt", ErrorCategory.InvalidData, summary, "ends too early", "move its run folder aside");
            Assert.Single(result.Errors); // the run folder's error is the book's one record: no BookFailed beside it
            Assert.Null(result.Terminating);
            var results = result.Objects<BookBatchResult>().ToList();
            Assert.Equal(new[] { ("Damaged", BookOutcome.Failed), ("Healthy", BookOutcome.Success) }, results.Select(r => (r.Title, r.Outcome)));
            Assert.DoesNotContain(batch.StageRuns(), r => r.Title == "Damaged");
            runFolder.AssertUnchanged();
            AssertNoHolderLeft(batch);
        }

        [Fact]
        public void ASummaryThatIsAFolderIsARunFolderErrorAndNoSucceededStageRunsAgain()
        {
            using var batch = Resumable();
            Directory.CreateDirectory(batch.Session.PathOf("runs", Folder, "summary.json"));
            var runFolder = WorkspaceSnapshot.Of(batch.Session.PathOf("runs", Folder));

            var result = batch.Session.Run("'Damaged', 'Healthy' | Invoke-BookBatch -DelaySeconds 0");

            var record = Refusal.Assert(result, "RunFolderIOError", ErrorCategory.WriteError, "summary.json", "is a folder, not a file", "run the batch again");
            Assert.DoesNotContain("BookDatabaseIOError", result.ErrorIds);
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { ("Damaged", BookOutcome.Failed), ("Healthy", BookOutcome.Success) },
                result.Objects<BookBatchResult>().Select(r => (r.Title, r.Outcome)));
            Assert.DoesNotContain(batch.StageRuns(), r => r.Title == "Damaged"); // its summary could not be read: nothing of it runs
            runFolder.AssertUnchanged();
            AssertNoHolderLeft(batch);
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void ARunFolderThatBecomesReadOnlyDuringAStageFailsItsBookAndTheBatchGoesOn()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("search", 2);
            var (shell, running) = batch.Start("'Damaged', 'Healthy' | Invoke-BookBatch -DelaySeconds 0");
            string? folder = null;
            Assert.True(BatchFixture.WaitUntil(() => batch.StageRuns().Any(r => r.Title == "Damaged")
                && (folder = Directory.GetDirectories(batch.Session.PathOf("runs")).SingleOrDefault()) != null));
            System.Threading.Thread.Sleep(1200); // the summary was written at the start: the next write is due when search ends
            using (ReadOnly.Make(folder!))
            {
                var output = shell.EndInvoke(running);
                var errors = shell.Streams.Error.ToList();
                var record = Assert.Single(errors, e => e.FullyQualifiedErrorId.StartsWith("RunFolderIOError", System.StringComparison.Ordinal));
                Assert.Equal(ErrorCategory.PermissionDenied, record.CategoryInfo.Category);
                Assert.Contains("permission denied", Refusal.Message(record));
                Assert.Equal(new[] { ("Damaged", BookOutcome.Failed), ("Healthy", BookOutcome.Success) },
                    output.Select(o => o.BaseObject).OfType<BookBatchResult>().Select(r => (r.Title, r.Outcome)));
            }
            shell.Dispose();
            AssertNoHolderLeft(batch);
        }

        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AReadOnlyRunFolderIsARunFolderErrorAndTheBatchGoesOn()
        {
            using var batch = Resumable();
            File.WriteAllText(batch.Session.PathOf("runs", Folder, "summary.json"), "{\"search\": \"success\", \"transcribe\": null}");
            var runFolder = WorkspaceSnapshot.Of(batch.Session.PathOf("runs", Folder));

            PipelineResult result;
            using (ReadOnly.Make(batch.Session.PathOf("runs", Folder)))
                result = batch.Session.Run("'Damaged', 'Healthy' | Invoke-BookBatch -DelaySeconds 0");

            Refusal.Assert(result, "RunFolderIOError", ErrorCategory.PermissionDenied, Folder, "permission denied", "writable");
            Assert.Null(result.Terminating);
            Assert.Equal(new[] { ("Damaged", BookOutcome.Failed), ("Healthy", BookOutcome.Success) },
                result.Objects<BookBatchResult>().Select(r => (r.Title, r.Outcome)));
            Assert.DoesNotContain(batch.StageRuns(), r => r.Title == "Damaged" && r.Stage == "search");
            runFolder.AssertUnchanged();
            AssertNoHolderLeft(batch);
        }
    }
}
