using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stores;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class BookRunTests
    {
        private static readonly string[] Pipeline = { "search", "transcribe", "tts", "render" };

        private static LedgerEntry Entry(string? runFolder, string status = LedgerKeys.StatusProcessing) =>
            new(new Book("Atomic Habits", "James Clear")) { StatusText = status, RunFolder = runFolder };

        private const string Details = @"{
  ""title"": ""Atomic Habits"", ""author"": ""James Clear"", ""created"": ""2025-01-01T10:00:00+00:00"",
  ""stages"": [
    { ""name"": ""search"", ""attempts"": [
        { ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:00:00+00:00"", ""ended"": ""2025-01-01T10:02:30+00:00"", ""result"": ""Succeeded"", ""exitCode"": 0 } ],
      ""outputs"": { ""query"": ""atomic habits"" } },
    { ""name"": ""transcribe"", ""attempts"": [
        { ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:03:00+00:00"", ""ended"": ""2025-01-01T10:03:01+00:00"", ""result"": ""Failed"", ""exitCode"": 2, ""error"": ""first"" },
        { ""attempt"": 2, ""batch"": ""b1"", ""started"": ""2025-01-01T10:04:00+00:00"", ""ended"": ""2025-01-01T10:04:09+00:00"", ""result"": ""Failed"", ""exitCode"": 3, ""error"": ""boom"" } ] },
    { ""name"": ""tts"", ""attempts"": [
        { ""attempt"": 1, ""batch"": ""b2"", ""started"": ""2025-01-02T10:00:00+00:00"" } ] },
    { ""name"": ""render"", ""attempts"": [] }
  ]
}";

        // The same run as bookbatch-run.jsonl events, ending with a line torn by a crash.
        private const string DetailsEvents =
@"{""event"": ""run"", ""title"": ""Atomic Habits"", ""author"": ""James Clear"", ""created"": ""2025-01-01T10:00:00+00:00""}
{""event"": ""attempt"", ""stage"": ""search"", ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:00:00+00:00""}
{""event"": ""ended"", ""stage"": ""search"", ""attempt"": 1, ""ended"": ""2025-01-01T10:02:30+00:00"", ""result"": ""Succeeded"", ""exitCode"": 0, ""outputs"": { ""query"": ""atomic habits"" }}
{""event"": ""attempt"", ""stage"": ""transcribe"", ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:03:00+00:00""}
{""event"": ""ended"", ""stage"": ""transcribe"", ""attempt"": 1, ""ended"": ""2025-01-01T10:03:01+00:00"", ""result"": ""Failed"", ""exitCode"": 2, ""error"": ""first""}
{""event"": ""attempt"", ""stage"": ""transcribe"", ""attempt"": 2, ""batch"": ""b1"", ""started"": ""2025-01-01T10:04:00+00:00""}
{""event"": ""ended"", ""stage"": ""transcribe"", ""attempt"": 2, ""ended"": ""2025-01-01T10:04:09+00:00"", ""result"": ""Failed"", ""exitCode"": 3, ""error"": ""boom""}
{""event"": ""attempt"", ""stage"": ""tts"", ""attempt"": 1, ""batch"": ""b2"", ""started"": ""2025-01-02T10:00:00+00:00""}
{""event"": ""ended"", ""stage"": ""tts"", ""att";

        [Theory]
        [InlineData(RunDetailsLog.FileName, DetailsEvents)]
        [InlineData(RunDetailsLog.LegacyFileName, Details)] // written by an earlier BookBatch
        public void StagesReadTheSummaryAndTheDetails(string file, string details)
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f1/summary.json", @"{""search"": ""success"", ""transcribe"": ""failed"", ""tts"": null, ""render"": null}");
            temp.Write("runs/f1/" + file, details);
            var log = temp.Write("runs/f1/logs/transcribe.log", "exit 3");

            var run = BookRun.From(temp.Workspace, Entry("f1"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.True(run.Exists);
            Assert.Equal(System.IO.Path.Combine(temp.Workspace.RunsPath, "f1"), run.Path);
            Assert.Equal(new[] { "search", "transcribe", "tts", "render" }, run.Stages.Select(s => s.Name));
            Assert.Equal(new[] { StageState.Succeeded, StageState.Failed, StageState.Interrupted, StageState.NotRun }, run.Stages.Select(s => s.State));
            Assert.Equal(new[] { 1, 2, 1, 0 }, run.Stages.Select(s => s.Attempts));
            Assert.Equal("transcribe", run.NextStage);

            var search = run.Stages[0];
            Assert.Equal(System.TimeSpan.FromSeconds(150), search.Duration);
            Assert.Equal("atomic habits", search.Outputs!["query"]);
            var transcribe = run.Stages[1];
            Assert.Equal((3, "boom", log), (transcribe.ExitCode, transcribe.LastError, transcribe.LogPath));
            Assert.Equal(new System.DateTimeOffset(2025, 1, 1, 10, 4, 0, System.TimeSpan.Zero), transcribe.LastAttemptStarted);
            var tts = run.Stages[2];
            Assert.Null(tts.Duration);
            Assert.Null(tts.LogPath);
        }

        [Fact]
        public void AStageStoppedByCtrlCIsInterruptedNotNotRun()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f1/summary.json", @"{""search"": null}");
            temp.Write("runs/f1/" + RunDetailsLog.LegacyFileName, @"{""stages"": [{ ""name"": ""search"", ""attempts"": [
                { ""attempt"": 1, ""batch"": ""b"", ""started"": ""2025-01-01T10:00:00+00:00"", ""ended"": ""2025-01-01T10:00:04+00:00"", ""result"": ""Canceled"" } ] }]}");
            var stage = BookRun.From(temp.Workspace, Entry("f1"), new[] { "search" }, WorkspaceStore.Open(temp.Workspace).HolderOf).Stages.Single();
            Assert.Equal(StageState.Interrupted, stage.State);
            Assert.Equal(System.TimeSpan.FromSeconds(4), stage.Duration);
        }

        [Fact]
        public void AnAttemptWithoutAnEndRunsWhileItsBatchHoldsTheBook()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f1/summary.json", @"{""search"": ""success"", ""transcribe"": ""failed"", ""tts"": null, ""render"": null}");
            temp.Write("runs/f1/" + RunDetailsLog.FileName, DetailsEvents);
            var entry = Entry("f1");
            StageState Tts() => BookRun.From(temp.Workspace, entry, Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf).Stages[2].State;

            using (BookLease.TryAcquire(temp.Workspace, entry.Book, "b2") ?? throw new Xunit.Sdk.XunitException("lease not taken"))
                Assert.Equal(StageState.Running, Tts());
            // Held by another batch (one that resumes the book and has not reached the stage yet): this attempt is dead.
            using (BookLease.TryAcquire(temp.Workspace, entry.Book, "b3") ?? throw new Xunit.Sdk.XunitException("lease not taken"))
                Assert.Equal(StageState.Interrupted, Tts());
            Assert.Equal(StageState.Interrupted, Tts());
            // The probe let go: a batch can still take the book.
            using var again = BookLease.TryAcquire(temp.Workspace, entry.Book, "b4");
            Assert.NotNull(again);
        }

        [Fact]
        public void AStageResetAfterItsAttemptsIsNotRunAgain()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f1/summary.json", @"{""search"": null}");
            temp.Write("runs/f1/" + RunDetailsLog.LegacyFileName, @"{""stages"": [{ ""name"": ""search"", ""attempts"": [
                { ""attempt"": 1, ""batch"": ""b"", ""started"": ""2025-01-01T10:00:00+00:00"", ""ended"": ""2025-01-01T10:00:04+00:00"", ""result"": ""Succeeded"" } ] }]}");
            var stage = BookRun.From(temp.Workspace, Entry("f1"), new[] { "search" }, WorkspaceStore.Open(temp.Workspace).HolderOf).Stages.Single();
            Assert.Equal((StageState.NotRun, 1), (stage.State, stage.Attempts));
        }

        [Fact]
        public void AFolderTheOldSystemMadeHasNoAttempts()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/old/summary.json", @"{""search"": ""success"", ""transcribe"": ""success"", ""tts"": ""failed"", ""render"": null}");
            var run = BookRun.From(temp.Workspace, Entry("old"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.Equal(new[] { StageState.Succeeded, StageState.Succeeded, StageState.Failed, StageState.NotRun }, run.Stages.Select(s => s.State));
            Assert.All(run.Stages, s => Assert.Equal(0, s.Attempts));
            Assert.All(run.Stages, s => Assert.Null(s.LastAttemptStarted));
            Assert.Equal("tts", run.NextStage);
        }

        [Fact]
        public void PipelineOrderComesFirstAndOnlyPipelineStagesDecideTheNextStage()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f/summary.json", @"{""legacy"": null, ""render"": ""success"", ""search"": ""success"", ""transcribe"": ""success"", ""tts"": ""success""}");
            var run = BookRun.From(temp.Workspace, Entry("f"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.Equal(new[] { "search", "transcribe", "tts", "render", "legacy" }, run.Stages.Select(s => s.Name));
            Assert.Null(run.NextStage);

            var withoutSettings = BookRun.From(temp.Workspace, Entry("f"), pipeline: null, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.Equal(new[] { "legacy", "render", "search", "transcribe", "tts" }, withoutSettings.Stages.Select(s => s.Name));
            Assert.Equal("legacy", withoutSettings.NextStage);
        }

        [Fact]
        public void ABookWithoutItsFolderStartsAtTheFirstStageUnlessDone()
        {
            using var temp = new TempWorkspace();
            var gone = BookRun.From(temp.Workspace, Entry("2025-01-01_10-00-00_Gone"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.False(gone.Exists);
            Assert.Equal("2025-01-01_10-00-00_Gone", gone.RunFolder);
            Assert.Empty(gone.Stages);
            Assert.Equal("search", gone.NextStage);

            var none = BookRun.From(temp.Workspace, Entry(null), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf);
            Assert.Null(none.Path);
            Assert.False(none.Exists);

            Assert.Null(BookRun.From(temp.Workspace, Entry(null, LedgerKeys.StatusDone), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf).NextStage);
            Assert.Null(BookRun.From(temp.Workspace, Entry("../outside"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf).Path);
        }

        [Fact]
        public void ACorruptSummaryIsReportedNotGuessed()
        {
            using var temp = new TempWorkspace();
            temp.Write("runs/f/summary.json", "{\"search\": ");
            Assert.Throws<RunSummaryCorruptException>(() => BookRun.From(temp.Workspace, Entry("f"), Pipeline, WorkspaceStore.Open(temp.Workspace).HolderOf));
        }
    }
}
