using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Stores;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class RunFolderTests
    {
        private static readonly string[] Pipeline = { "search", "upload" };
        private static readonly DateTimeOffset T0 = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

        [Fact]
        public async Task EveryChangeIsAnAppendedLineThatReadsBackAsTheDetails()
        {
            using var temp = new TempWorkspace();
            using var folder = RunFolder.Create(temp.Workspace, new Book("Deep Work", "Cal Newport"), Pipeline, new DateTime(2025, 1, 1, 10, 0, 0));
            var file = Path.Combine(folder.FullPath, RunDetailsLog.FileName);
            string?[] Events() => File.ReadAllLines(file).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("event").GetString())
                .Where(e => e != "summary").ToArray(); // summary.json's write, done on the pool, adds its own line when it ends
            await folder.Written;
            Assert.Equal(new[] { "run" }, Events());
            Assert.Equal(new[] { null, (string?)null }, Pipeline.Select(folder.Summary.StateOf));

            folder.AttemptStarted("search", 1, "b1", T0);
            folder.AttemptEnded("search", new StageOutcome(StageResult.Failed, 2, "exit code 2"), T0.AddSeconds(1), null);
            folder.AttemptStarted("search", 2, "b1", T0.AddSeconds(5));
            folder.AttemptEnded("search", new StageOutcome(StageResult.Succeeded, 0, null), T0.AddSeconds(6), new Dictionary<string, string?> { ["query"] = "deep work" });
            folder.Recovered("upload", new Dictionary<string, string?> { ["youtube_url"] = "https://youtu.be/x" });
            await folder.FlushSummary();
            Assert.Equal(new[] { "run", "attempt", "ended", "attempt", "ended", "recovered" }, Events());
            Assert.False(File.Exists(Path.Combine(folder.FullPath, RunDetailsLog.LegacyFileName)));

            var read = RunFolder.ReadDetails(folder.FullPath)!;
            Assert.Equal(("Deep Work", "Cal Newport"), (read.Title, read.Author));
            var search = read.Stages.Single(s => s.Name == "search");
            Assert.Equal(new[] { (1, "Failed", (int?)2, T0.AddSeconds(1)), (2, "Succeeded", 0, T0.AddSeconds(6)) },
                search.Attempts.Select(a => (a.Attempt, a.Result!, a.ExitCode, a.Ended!.Value)));
            Assert.Equal("exit code 2", search.Attempts[0].Error);
            Assert.Equal("deep work", search.Outputs!["query"]);
            Assert.Equal("https://youtu.be/x", read.Stages.Single(s => s.Name == "upload").Outputs!["youtube_url"]);
            Assert.Equal(new[] { "success", "success" }, Pipeline.Select(RunSummary.Read(folder.FullPath).StateOf));
        }

        [Fact]
        public async Task AStageThatEndedIsDoneEvenWhenTheBatchDiedBeforeSummaryJsonHadIt()
        {
            using var temp = new TempWorkspace();
            var now = new DateTime(2025, 1, 1, 10, 0, 0);
            var folder = RunFolder.Create(temp.Workspace, new Book("Killed", null), Pipeline, now);
            await folder.Written;
            // Within a second of the last write, summary.json waits for a later change or the book's end...
            folder.AttemptStarted("search", 1, "b1", T0);
            folder.AttemptEnded("search", new StageOutcome(StageResult.Succeeded, 0, null), T0.AddSeconds(1), null);
            await folder.Written;
            Assert.Equal(new string?[] { null, null }, Pipeline.Select(RunSummary.Read(folder.FullPath).StateOf));
            // ...and the batch is killed now (the folder is never closed): the details have the end all the same.
            var run = BookRun.From(temp.Workspace, new BookBatch.Engine.Ledger.LedgerEntry(new Book("Killed", null)) { RunFolder = folder.Name }, Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.Equal(new[] { StageState.Succeeded, StageState.NotRun }, run.Stages.Select(s => s.State));
            Assert.Equal("upload", run.NextStage);

            using var resumed = RunFolder.Open(temp.Workspace, folder.Name, Pipeline)!;
            Assert.True(resumed.Succeeded("search"));
            await resumed.Written;
            Assert.Equal(new[] { "success", null }, Pipeline.Select(RunSummary.Read(folder.FullPath).StateOf));
        }

        [Fact]
        public void AResetStageStaysResetThoughItsDetailsSayItSucceeded()
        {
            using var temp = new TempWorkspace();
            string name;
            using (var folder = RunFolder.Create(temp.Workspace, new Book("Again", null), Pipeline, new DateTime(2025, 1, 1, 10, 0, 0)))
            {
                name = folder.Name;
                folder.AttemptStarted("search", 1, "b1", T0);
                folder.AttemptEnded("search", new StageOutcome(StageResult.Succeeded, 0, null), T0.AddSeconds(1), null);
            }
            var details = File.ReadAllText(Path.Combine(temp.Workspace.RunsPath, name, RunDetailsLog.FileName));
            Assert.Throws<StageNotFoundException>(() => RunFolderReset.From(temp.Workspace, name, "render"));
            Assert.Equal(details, File.ReadAllText(Path.Combine(temp.Workspace.RunsPath, name, RunDetailsLog.FileName)));
            Assert.Equal(new[] { "search", "upload" }, RunFolderReset.From(temp.Workspace, name, "search"));
            using var reopened = RunFolder.Open(temp.Workspace, name, Pipeline)!;
            Assert.False(reopened.Succeeded("search"));
            Assert.Single(reopened.Details.Stage("search").Attempts);
        }

        [Fact]
        public void AFolderOfAnEarlierVersionKeepsItsAttemptsAndGoesOnInTheEventFile()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/old/summary.json", @"{""search"": ""failed"", ""upload"": null}");
            temp.Write("runs/old/" + RunDetailsLog.LegacyFileName, @"{""title"": ""Old"", ""created"": ""2024-06-01T08:00:00+00:00"", ""stages"": [
  { ""name"": ""search"", ""attempts"": [ { ""attempt"": 1, ""batch"": ""b0"", ""started"": ""2024-06-01T08:00:00+00:00"", ""ended"": ""2024-06-01T08:00:03+00:00"", ""result"": ""Failed"", ""exitCode"": 1 } ] } ] }");

            using var folder = RunFolder.Open(temp.Workspace, "old", Pipeline)!;
            Assert.Single(folder.Details.Stage("search").Attempts);
            folder.AttemptStarted("search", 2, "b1", T0);
            folder.AttemptEnded("search", new StageOutcome(StageResult.Succeeded, 0, null), T0.AddSeconds(2), null);

            var read = RunFolder.ReadDetails(folder.FullPath)!;
            Assert.Equal("Old", read.Title);
            Assert.Equal(new[] { ("b0", "Failed"), ("b1", "Succeeded") }, read.Stages.Single(s => s.Name == "search").Attempts.Select(a => (a.Batch, a.Result!)));
        }

        [Fact]
        public void AFailedResetOfAFolderTheOldSystemMadeLeavesItAsItWas()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/old/summary.json", @"{""search"": ""success"", ""upload"": null}");
            var folder = Path.Combine(temp.Workspace.RunsPath, "old");
            Assert.Throws<StageNotFoundException>(() => RunFolderReset.From(temp.Workspace, "old", "render"));
            Assert.Equal(new[] { Path.Combine(folder, "summary.json") }, Directory.GetFileSystemEntries(folder));
            Assert.Equal(new[] { "search", "upload" }, RunFolderReset.From(temp.Workspace, "old", "search"));
            Assert.Equal(new string?[] { null, null }, Pipeline.Select(RunSummary.Read(folder).StateOf));
            Assert.Null(RunFolder.ReadDetails(folder));
        }

        [Fact]
        public void AFolderTheOldSystemMadeStartsItsDetailsWhenBookBatchOpensIt()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/old/summary.json", @"{""search"": ""success"", ""upload"": null}");
            Assert.Null(RunFolder.ReadDetails(Path.Combine(temp.Workspace.RunsPath, "old")));
            using var folder = RunFolder.Open(temp.Workspace, "old", Pipeline)!;
            Assert.True(folder.Succeeded("search"));
            folder.AttemptStarted("upload", 1, "b1", T0);
            var upload = RunFolder.ReadDetails(folder.FullPath)!.Stages.Single(s => s.Name == "upload");
            Assert.Equal((1, (DateTimeOffset?)null), (upload.Attempts.Single().Attempt, upload.Attempts.Single().Ended));
        }

        [Fact]
        public void TwoBooksOfOneTitleInOneSecondGetTwoFolders()
        {
            using var temp = new TempWorkspace();
            var now = new DateTime(2025, 1, 1, 10, 0, 0);
            using var first = RunFolder.Create(temp.Workspace, new Book("Same", null), Pipeline, now);
            using var second = RunFolder.Create(temp.Workspace, new Book("Same", null), Pipeline, now);
            Assert.NotEqual(first.Name, second.Name);
            Assert.Equal("Same", RunFolder.ReadDetails(second.FullPath)!.Title);
        }
    }
}
