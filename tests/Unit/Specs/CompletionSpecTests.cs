using System.Linq;
using BookBatch.Tests.Batches;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>Tab completion as a user presses Tab: TabExpansion2 in the full engine, in the workspace. The xunit twins of the "tab completion" Describe blocks of the Pester specs.</summary>
    public class CompletionSpecTests
    {
        private static string[] Complete(BatchFixture batch, string line) =>
            batch.Session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", line)
                .Succeeded().Output.Select(o => o.ToString()!).ToArray();

        [Fact]
        public void StageNamesComeFromTheWorkspacesSettingsInPipelineOrder()
        {
            using var batch = new BatchFixture();
            Assert.Equal(new[] { "transcribe", "tts" }, Complete(batch, "Reset-Book 'One' -FromStage t"));
            Assert.Equal(BatchFixture.StageNames, Complete(batch, "Reset-Book 'One' -FromStage "));
        }

        [Fact]
        public void TitlesComeFromTheDatabaseQuotedWhenTheyMustBe()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'Deep Work | Cal Newport', 'Dune', \"Ender's Game\" | Add-Book").Succeeded();
            Assert.Equal(new[] { "'Deep Work'", "Dune" }, Complete(batch, "Get-BookRun -Title d"));
            Assert.Equal(new[] { "'Ender''s Game'" }, Complete(batch, "Reset-Book E"));
            Assert.Equal(new[] { "'Deep Work'" }, Complete(batch, "Get-BookStatus -Title De"));
            Assert.Equal(new[] { "Dune" }, Complete(batch, "Complete-Book -Title Du"));
        }

        [Fact]
        public void BatchIdsComeFromTheJournalsNewestFirst()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'One' | Invoke-BookBatch").Succeeded();
            System.Threading.Thread.Sleep(1100); // ids begin with the second the batch started
            batch.Session.Run("'One' | Invoke-BookBatch").Succeeded();
            var ids = batch.Session.Run("Get-BatchSummary -Last 2 | ForEach-Object BatchId").Succeeded().Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(ids, Complete(batch, "Get-BatchSummary -Id "));
            Assert.Equal(ids.Take(1), Complete(batch, "Get-BatchSummary -Id " + ids[0].Substring(0, 17)));
        }

        [Fact]
        public void AnotherWorkspaceIsCompletedFromItsOwnFiles()
        {
            using var batch = new BatchFixture();
            using var other = new BatchFixture();
            other.Session.Run("'Only Elsewhere' | Add-Book").Succeeded();
            Assert.Empty(Complete(batch, "Get-BookRun -Title O"));
            Assert.Equal(new[] { "'Only Elsewhere'" }, Complete(batch, $"Get-BookRun -Workspace '{other.Workspace}' -Title O"));
        }
    }
}
