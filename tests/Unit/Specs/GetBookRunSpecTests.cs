using System.IO;
using System.Linq;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Get-BookRun.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class GetBookRunSpecTests
    {
        private const string OldSystemFolder = "2024-12-01_09-00-00_Deep-Work";

        private static BookRun Run(PowerShellSession session, string command) =>
            session.Run(command).Succeeded().Objects<BookRun>().Single();

        private static string States(BookRun run) => string.Join(",", run.Stages.Select(s => s.Name + "=" + s.State));

        private static string Attempts(BookRun run) => string.Join(",", run.Stages.Select(s => s.Attempts));

        [Fact]
        public void AfterAFailedBatchShowsEachStagesStateAttemptsExitCodeErrorAndLog()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            var failed = batch.Session.Run("'The Alchemist | Paulo Coelho' | Invoke-BookBatch").Objects<BookBatchResult>().Single();

            var run = Run(batch.Session, "Get-BookRun 'the alchemist' 'PAULO COELHO'");

            Assert.Equal(("The Alchemist", "Paulo Coelho", BookState.Processing, failed.RunFolder, true), (run.Title, run.Author, run.Status, run.RunFolder, run.Exists));
            Assert.Equal(Path.GetFullPath(batch.Session.PathOf("runs", failed.RunFolder!)), Path.GetFullPath(run.Path!));
            Assert.Equal("search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Failed,render=NotRun,upload=NotRun,shorts=NotRun", States(run));
            Assert.Equal("1,1,1,1,0,0,0", Attempts(run));
            Assert.Equal("tts", run.NextStage);
            var tts = run.Stages.Single(s => s.Name == "tts");
            Assert.Equal(3, tts.ExitCode); // the test stage fails with exit code 3
            Assert.Contains("exit code 3", tts.LastError);
            Assert.NotNull(tts.Duration);
            Assert.Contains("tts fails on purpose", File.ReadAllText(tts.LogPath!));
            var search = run.Stages.Single(s => s.Name == "search");
            Assert.Equal(0, search.ExitCode);
            Assert.Null(search.LastError);
            Assert.True(File.Exists(search.LogPath));
            Assert.Null(run.Stages.Single(s => s.Name == "render").LogPath);
        }

        [Fact]
        public void OnceResumedAndDoneEveryStageSucceededWithWhatTheUploadReported()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            batch.Session.Run("'The Alchemist' | Invoke-BookBatch");
            batch.StopFailing("tts");
            batch.Session.Run("'The Alchemist' | Invoke-BookBatch").Succeeded();

            var run = Run(batch.Session, "Get-BookRun 'The Alchemist'");

            Assert.Equal(BookState.Done, run.Status);
            Assert.Null(run.NextStage);
            Assert.Equal("search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Succeeded,render=Succeeded,upload=Succeeded,shorts=Succeeded", States(run));
            Assert.Equal("1,1,1,2,1,1,1", Attempts(run));
            Assert.Null(run.Stages.Single(s => s.Name == "tts").LastError);
            Assert.Equal("https://youtube.example/watch?v=TheAlchemist", run.Stages.Single(s => s.Name == "upload").Outputs!["youtube_url"]);
        }

        [Fact]
        public void ATitleTwoBooksShareIsBookAmbiguousAndTheAuthorFindsOne()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book Meditations 'Marcus Aurelius'; Add-Book Meditations 'Ryan Holiday'").Succeeded();

            var ambiguous = session.Run("Get-BookRun Meditations");
            var named = Run(session, "Get-BookRun Meditations 'Ryan Holiday'");

            Assert.Empty(ambiguous.Output);
            Assert.Equal(new[] { "BookAmbiguous" }, ambiguous.ErrorIds);
            Assert.Equal("Ryan Holiday", named.Author);
        }

        [Fact]
        public void ADamagedDatabaseStopsItWithBookDatabaseCorrupt()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": [ {\"main_title\": \"A\"");

            var error = session.Throws("Get-BookRun");

            Assert.NotNull(error);
            Assert.StartsWith("BookDatabaseCorrupt,", error!.FullyQualifiedErrorId);
        }

        [Fact]
        public void AFolderTheOldSystemMadeIsResumedThereByTheNextBatch()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Deep Work\", \"author_name\": \"Cal Newport\", \"status\": \"processing\", " +
                "\"youtube_url\": null, \"short_url\": null, \"date_added\": \"2024-12-01T09:00:00\", \"run_folder\": \"" + OldSystemFolder + "\"}]}");
            Directory.CreateDirectory(batch.Session.PathOf("runs", OldSystemFolder));
            File.WriteAllText(batch.Session.PathOf("runs", OldSystemFolder, "summary.json"),
                "{\"search\": \"success\", \"transcribe\": \"success\", \"process\": \"success\", \"tts\": \"failed\", \"render\": null, \"upload\": null, \"shorts\": null}");

            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single();
            var run = Run(batch.Session, "Get-BookRun 'Deep Work'");

            Assert.Equal((BookOutcome.Resumed, OldSystemFolder), (result.Outcome, result.RunFolder));
            Assert.Equal(new[] { "tts", "render", "upload", "shorts" }, result.StagesRun);
            Assert.Equal(0, batch.Runs("search"));
            Assert.Equal(BookState.Done, run.Status);
            Assert.Null(run.NextStage);
            Assert.Equal("0,0,0,1,1,1,1", Attempts(run));
        }
    }
}
