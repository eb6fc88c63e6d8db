using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Commands;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Invoke-BookBatch.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class InvokeBookBatchSpecTests
    {
        private static BookBatchResult[] Results(PipelineResult result) => result.Objects<BookBatchResult>().ToArray();

        [Fact]
        public void ProcessesTheBooksPipedFromGetBookStatusStatusProcessing()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Queued; Add-Book Published; Complete-Book Published -YouTubeUrl https://youtube.com/watch?v=p").Succeeded();

            var result = Results(batch.Session.Run("Get-BookStatus -Status Processing | Invoke-BookBatch").Succeeded()).Single();

            Assert.Equal(("Queued", BookOutcome.Resumed), (result.Title, result.Outcome));
            Assert.Contains("no run folder", result.Reason);
            Assert.Equal(0, batch.Runs("search", "Published"));
            Assert.Equal(BatchFixture.StageNames, batch.StageRuns().Select(r => r.Stage));
        }

        [Fact]
        public void ForceProcessesADoneBookAgainAndRecordsItsNewRunFolder()
        {
            using var batch = new BatchFixture();
            var first = Results(batch.Session.Run("'Deep Work' | Invoke-BookBatch").Succeeded()).Single();
            var skipped = Results(batch.Session.Run("'Deep Work' | Invoke-BookBatch").Succeeded()).Single();

            var forced = Results(batch.Session.Run("'Deep Work' | Invoke-BookBatch -Force").Succeeded()).Single();

            Assert.Equal(BookOutcome.Success, first.Outcome);
            Assert.Equal(BookOutcome.Skipped, skipped.Outcome);
            Assert.Equal(BookOutcome.Success, forced.Outcome);
            Assert.Equal(BatchFixture.StageNames, forced.StagesRun);
            Assert.NotEqual(first.RunFolder, forced.RunFolder);
            Assert.Equal(2, batch.Runs("upload"));
            var status = batch.Session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Done, forced.RunFolder), (status.Status, status.RunFolder));
        }

        [Fact]
        public void WhatIfMakesNoRunsFolderAndLeavesTheDatabaseByteForByte()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            var before = File.ReadAllBytes(batch.Session.PathOf("database.json"));

            batch.Session.Run("'Done', 'New Book' | Invoke-BookBatch -WhatIf").Succeeded();

            Assert.Equal(before, File.ReadAllBytes(batch.Session.PathOf("database.json")));
            Assert.False(Directory.Exists(batch.Session.PathOf("runs")));
            Assert.Empty(Directory.GetFiles(batch.Workspace, "*.jsonl", SearchOption.AllDirectories));
        }

        [Fact]
        public void PlansTheRowsOfImportCsv()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("books.csv"), "Title,Author,Year\nDeep Work,Cal Newport,2016\nThe Alchemist,Paulo Coelho,1988\n");

            var result = batch.Session.Run("Import-Csv books.csv | Invoke-BookBatch -WhatIf").Succeeded();

            Assert.Empty(result.Output);
            Assert.Empty(batch.StageRuns());
            var screen = batch.Session.ScreenText;
            Assert.Contains("2 book(s): 2 to process", screen);
            Assert.Matches(@"1\s+Deep Work \| Cal Newport\s+New\s+Process", screen);
            Assert.Matches(@"2\s+The Alchemist \| Paulo Coelho\s+New\s+Process", screen);
        }

        [Fact]
        public void SupportsShouldProcessWithMediumImpactAndNoSkipIsForce()
        {
            using var session = new PowerShellSession();
            var command = (CmdletInfo)session.Run("Get-Command Invoke-BookBatch").Succeeded().Output.Single().BaseObject;

            var attribute = (CmdletAttribute)command.ImplementingType.GetCustomAttributes(typeof(CmdletAttribute), false).Single();

            Assert.True(attribute.SupportsShouldProcess);
            Assert.Equal(ConfirmImpact.Medium, attribute.ConfirmImpact);
            Assert.True(command.Parameters.ContainsKey("WhatIf"));
            Assert.True(command.Parameters.ContainsKey("Confirm"));
            Assert.Contains("NoSkip", command.Parameters["Force"].Aliases);
        }

        [Fact]
        public void ABadLineOfAPathListIsReportedWithItsLineNumber()
        {
            using var batch = new BatchFixture();
            var list = batch.WriteBooks("# list", "Good One", " | Nobody");

            var result = batch.Session.Run("Invoke-BookBatch -Path $args[0]", list);

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("InvalidBookLine,", error.FullyQualifiedErrorId);
            Assert.Contains("Line 3", error.ToString());
            Assert.Equal(new[] { "Good One" }, Results(result).Select(r => r.Title));
        }

        [Fact]
        public void APathThatNamesNoFileIsBookListNotFoundAndTheOtherListsStillRun()
        {
            using var batch = new BatchFixture();
            var list = batch.WriteBooks("Found Book");

            var result = batch.Session.Run("Invoke-BookBatch -Path $args[0], $args[1]", batch.Session.PathOf("no-such-list.txt"), list);

            Assert.Equal(new[] { "BookListNotFound" }, result.ErrorIds);
            Assert.Equal(new[] { ("Found Book", BookOutcome.Success) }, Results(result).Select(r => (r.Title, r.Outcome)));
        }

        [Fact]
        public void NoBooksAtAllMakesNoBatchesFolder()
        {
            using var batch = new BatchFixture();

            var error = batch.Session.Throws("Invoke-BookBatch");

            Assert.StartsWith("BookListMissing,", error!.FullyQualifiedErrorId);
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")));
        }

        [Theory]
        [InlineData("{\"stages\": [{\"name\": \"search\", \"script\": \"stages/missing.ps1\"}]}", "stages[0].script")]
        [InlineData("{\"stages\": [ {\"name\": ", "not valid JSON")]
        [InlineData("{\"privacy\": \"unlisted\"}", "stages")]
        public void RefusesSettingsThatCannotRunBeforeAnyWork(string settings, string problem)
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("bookbatch.json"), settings);

            var error = batch.Session.Throws("'One' | Invoke-BookBatch");

            Assert.NotNull(error);
            Assert.StartsWith("BookBatchSettingsInvalid,", error!.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("bookbatch.json", error.ToString());
            Assert.Contains(problem, error.ToString());
            Assert.Empty(batch.StageRuns());
            Assert.False(File.Exists(batch.Session.PathOf("database.json")));
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")));
            Assert.False(Directory.Exists(batch.Session.PathOf("runs")));
        }

        [Fact]
        public void AStoppedBatchIsSummarizedAsInterruptedAndGetBookRunShowsTheStoppedStage()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("tts", 120);
            var (ps, running) = batch.Start("'First', 'Second' | Invoke-BookBatch");
            using (ps)
            {
                Assert.True(BatchFixture.WaitUntil(() => batch.Runs("tts") > 0), "the first book never reached tts");
                Thread.Sleep(300);
                ps.Stop();
                Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            }

            Assert.Equal(0, batch.Runs("render"));
            Assert.Equal(0, batch.Runs("search", "Second"));
            var summary = batch.Session.Run("Get-BatchSummary").Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((true, 2, 2), (summary.Interrupted, summary.Total, summary.Skipped));
            Assert.Equal(new[] { ("First", (string?)"interrupted during stage 'tts'"), ("Second", "interrupted") },
                summary.SkippedBooks.Select(b => (b.Title, b.Reason)));
            var run = batch.Session.Run("Get-BookRun First").Succeeded().Objects<BookBatch.Engine.Runs.BookRun>().Single();
            Assert.Equal("tts", run.NextStage);
            Assert.Equal(BookBatch.Engine.Runs.StageState.Interrupted, run.Stages.Single(s => s.Name == "tts").State);

            File.Delete(batch.Session.PathOf("hold-tts"));
            var resumed = Results(batch.Session.Run("'First' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal((BookOutcome.Resumed, "tts"), (resumed.Outcome, resumed.StagesRun[0]));
            Assert.Equal(1, batch.Runs("search", "First"));
            Assert.Equal(2, batch.Runs("tts", "First"));
        }
    }

    /// <summary>The behaviours of tests/Pester/Invoke-BookBatch.Tests.ps1 that set $env:BOOKBATCH_WORKSPACE, not checked elsewhere in xunit.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class InvokeBookBatchScheduledTaskSpecTests
    {
        [Fact]
        public void AScheduledTaskRunsInTheWorkspaceOfTheEnvironmentVariableWhereverItStarts()
        {
            using var batch = new BatchFixture();
            var list = batch.WriteBooks("Nightly Book | Night Owl");
            using var elsewhere = new PowerShellSession();
            PipelineResult result;
            try
            {
                result = elsewhere.Run("$env:BOOKBATCH_WORKSPACE = $args[0]; Invoke-BookBatch -Path $args[1] -Privacy Public -Confirm:$false | Get-BatchSummary",
                    batch.Workspace, list);
            }
            finally
            {
                elsewhere.Run("$env:BOOKBATCH_WORKSPACE = $null");
            }

            var summary = result.Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((1, 1, false), (summary.Total, summary.Success, summary.Interrupted));
            Assert.Equal("public", batch.StageRuns().First().Privacy);
            Assert.False(File.Exists(elsewhere.PathOf("database.json")));
            Assert.Equal(BookState.Done, batch.Session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single().Status);
        }
    }
}
