using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Workspaces;
using BookBatch.Tests.Engine;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    public class BatchSummaryCommandTests
    {
        private const string Older = "20250101-100000-aaaa";
        private const string Newer = "20250102-090000-bbbb";

        /// <summary>Writes a journal as a batch does: start, plan, results, and the end unless the batch was killed.</summary>
        private static string WriteJournal(PowerShellSession session, string id, IEnumerable<BookBatchResult> results, bool? endInterrupted, int? planned = null)
        {
            var list = results.ToList();
            using var journal = BatchJournal.Create(new Workspace(session.Folder), id);
            journal.Write("start", w => w.WriteString("batch", id));
            for (var i = 1; i <= (planned ?? list.Count); i++) journal.Write("plan", w => w.WriteNumber("index", i));
            foreach (var result in list) journal.Result(result);
            if (endInterrupted is bool stopped) journal.Write("end", w => w.WriteBoolean("interrupted", stopped));
            return journal.Path;
        }

        private static List<BookBatchResult> Results(int success, int resumed, int failed, int skipped, string id) =>
            BatchSummaryTests.Results(success, resumed, failed, skipped, id);

        [Fact]
        public void IdReadsTheBatchsJournal()
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(7, 2, 1, 0, Older), endInterrupted: false);
            var summary = session.Run("Get-BatchSummary -Id $args[0]", Older).Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((Older, 10, 7, 2, 1, 0), (summary.BatchId, summary.Total, summary.Success, summary.Resumed, summary.Failed, summary.Skipped));
            Assert.Equal(new[] { 70.0, 20.0, 10.0, 0.0 }, new[] { summary.SuccessPercent, summary.ResumedPercent, summary.FailedPercent, summary.SkippedPercent });
            Assert.False(summary.Interrupted);
            Assert.Equal("stage 'tts' failed: exit code 10", Assert.Single(summary.FailedBooks).Error);
            Assert.Equal(10, session.Run("(Get-BatchSummary $args[0]).Results.Count", Older + ".jsonl").Succeeded().Output.Single().BaseObject);
        }

        [Fact]
        public void WithoutParametersItIsTheLastBatchAndLastTakesTheNewestFirst()
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(1, 0, 0, 0, Older), endInterrupted: false);
            WriteJournal(session, Newer, Results(0, 0, 2, 0, Newer), endInterrupted: false);
            Assert.Equal(new[] { Newer }, session.Run("Get-BatchSummary").Succeeded().Objects<BatchSummary>().Select(s => s.BatchId));
            Assert.Equal(new[] { Newer, Older }, session.Run("Get-BatchSummary -Last 2").Succeeded().Objects<BatchSummary>().Select(s => s.BatchId));
            Assert.Equal(new[] { Newer, Older }, session.Run("Get-BatchSummary -Last 10").Succeeded().Objects<BatchSummary>().Select(s => s.BatchId));
            Assert.Equal(new[] { "ParameterArgumentValidationError" }, session.Run("Get-BatchSummary -Last 0").ErrorIds);
        }

        [Fact]
        public void AnUnknownIdOrNoBatchYetIsBatchNotFound()
        {
            using var session = new PowerShellSession();
            var none = session.Run("Get-BatchSummary");
            var error = Assert.Single(none.Errors);
            Assert.Equal("BatchNotFound,BookBatch.Commands.GetBatchSummaryCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("Invoke-BookBatch", error.ToString());

            WriteJournal(session, Older, Results(1, 0, 0, 0, Older), endInterrupted: false);
            var unknown = session.Run("Get-BatchSummary -Id 20990101-000000-zzzz");
            error = Assert.Single(unknown.Errors);
            Assert.Equal(new[] { "BatchNotFound" }, unknown.ErrorIds);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("20990101-000000-zzzz", error.TargetObject);
            Assert.Contains(Path.Combine(session.Folder, "batches"), error.ToString());
            Assert.Contains("Get-BatchSummary -Last", error.ToString());
            Assert.Empty(unknown.Output);
            Assert.Equal(new[] { "BatchNotFound" }, session.Run("Get-BatchSummary -Id ../database").ErrorIds);
        }

        [Fact]
        public void ATornLastLineOfAKilledBatchIsIgnoredAndTheBatchIsInterrupted()
        {
            using var session = new PowerShellSession();
            var path = WriteJournal(session, Older, Results(2, 0, 1, 0, Older), endInterrupted: null, planned: 5);
            File.AppendAllText(path, "{\"event\":\"result\",\"index\":4,\"title\":\"Boo");
            var summary = session.Run("Get-BatchSummary").Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((3, 5, true), (summary.Total, summary.Planned, summary.Interrupted));

            session.Run("Get-BatchSummary | Out-Default").Succeeded();
            Assert.Contains($"Batch {Older} (interrupted: 3 of 5 planned books have a result)", session.ScreenText);
        }

        [Theory]
        [InlineData(true, true)]
        [InlineData(false, false)]
        public void TheEndEventSaysWhetherTheBatchWasInterrupted(bool stopped, bool interrupted)
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(1, 0, 0, 1, Older), endInterrupted: stopped);
            Assert.Equal(interrupted, session.Run("Get-BatchSummary").Succeeded().Objects<BatchSummary>().Single().Interrupted);
        }

        [Fact]
        public void PipedResultsBecomeOneSummaryThatTheirJournalCompletes()
        {
            using var session = new PowerShellSession();
            var results = Results(1, 1, 1, 0, Newer);
            var alone = session.RunWithInput("$input | Get-BatchSummary", results).Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((Newer, 3, false, 3), (alone.BatchId, alone.Total, alone.Interrupted, alone.Planned));
            Assert.Equal(100.0m, (decimal)alone.SuccessPercent + (decimal)alone.ResumedPercent + (decimal)alone.FailedPercent + (decimal)alone.SkippedPercent);

            // With the batch's journal in the workspace, its end (here: none, the batch was killed) and plan count.
            WriteJournal(session, Newer, results, endInterrupted: null, planned: 4);
            var journaled = session.RunWithInput("$input | Get-BatchSummary", results).Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((true, 4), (journaled.Interrupted, journaled.Planned));

            var empty = session.Run("@() | Get-BatchSummary").Succeeded().Objects<BatchSummary>().Single();
            Assert.Equal((0, (string?)null), (empty.Total, empty.BatchId));
        }

        [Fact]
        public void InvokeBookBatchResultsPipeIntoGetBatchSummary()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace ws | Out-Null").Succeeded();
            var results = session.Run("Invoke-BookBatch -Path ws/books.txt -Workspace ws -DelaySeconds 0 -Confirm:$false | Get-BatchSummary -Workspace ws");
            Assert.Null(results.Terminating);
            var summary = results.Objects<BatchSummary>().Single();
            Assert.True(summary.Total > 0);
            Assert.Equal(summary.Total, summary.Success);
            Assert.False(summary.Interrupted);
            Assert.NotNull(summary.BatchId);
            Assert.Equal(summary.BatchId, session.Run("Get-BatchSummary -Workspace ws").Succeeded().Objects<BatchSummary>().Single().BatchId);
        }

        [Fact]
        public void TheSummaryTableReadsLikeTheOldSystemsFinalTable()
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(7, 2, 1, 0, Older), endInterrupted: false);
            session.Run("Get-BatchSummary | Out-Default").Succeeded();
            var lines = session.ScreenText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            var header = lines.FindIndex(l => l.StartsWith("Category", StringComparison.Ordinal));
            Assert.True(header > 0, session.ScreenText);
            Assert.Equal("Batch " + Older, lines[header - 1]);
            Assert.Matches(@"^Category\s+Count\s+Percentage$", lines[header]);
            Assert.Matches(@"^Total Books\s+10\s+100%$", lines[header + 2]);
            Assert.Matches(@"^Success\s+7\s+70%$", lines[header + 3]);
            Assert.Matches(@"^Resumed\s+2\s+20%$", lines[header + 4]);
            Assert.Matches(@"^Failed\s+1\s+10%$", lines[header + 5]);
            Assert.Matches(@"^Skipped\s+0\s+0%$", lines[header + 6]);
            Assert.Equal("Failed books:", lines[header + 7]);
            Assert.Matches(@"^\s+10\. Book 10 \| Author 10: stage 'tts' failed: exit code 10$", lines[header + 8]);
        }

        [Fact]
        public void OddPercentagesShowOneDecimal()
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(1, 1, 1, 0, Older), endInterrupted: false);
            session.Run("Get-BatchSummary | Out-Default").Succeeded();
            var screen = session.ScreenText;
            Assert.Matches(@"(?m)^Success\s+1\s+33\.4%\s*$", screen);
            Assert.Matches(@"(?m)^Resumed\s+1\s+33\.3%\s*$", screen);
        }

        [Fact]
        public void ResultsShowAsATableWithDurations()
        {
            using var session = new PowerShellSession();
            WriteJournal(session, Older, Results(1, 0, 1, 0, Older), endInterrupted: false);
            session.Run("(Get-BatchSummary).Results | Out-Default").Succeeded();
            var lines = session.ScreenText.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            Assert.Matches(@"^\s*#\s+Book\s+Outcome\s+Duration\s+Details$", lines[0]);
            Assert.Matches(@"^\s*1\s+Book 1\s+Success\s+0:00:01\s+https://youtube.com/watch\?v=1$", lines[2]);
            Assert.Matches(@"^\s*2\s+Book 2 \| Author 2\s+Failed\s+0:00:02\s+stage 'tts' failed: exit code 2$", lines[3]);
        }
    }

    public class BookRunCommandTests
    {
        private const string Folder1 = "2025-01-01_10-00-00_Atomic-Habits";
        private const string OldSystemFolder = "2024-12-01_09-00-00_Deep-Work";

        /// <summary>
        /// A workspace by hand: a pipeline of four command stages, a BookBatch run folder with details and logs, a
        /// folder the old system made (summary.json only), and a book with no folder.
        /// </summary>
        private static void MakeWorkspace(PowerShellSession session)
        {
            void Write(string relative, string text)
            {
                var path = session.PathOf(relative.Split('/'));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            Write("bookbatch.json", @"{""stages"": [
                {""name"": ""search"", ""command"": ""true""}, {""name"": ""transcribe"", ""command"": ""true""},
                {""name"": ""tts"", ""command"": ""true""}, {""name"": ""render"", ""command"": ""true""}]}");
            Write("database.json", @"{""books"": [
  {""main_title"": ""Atomic Habits"", ""author_name"": ""James Clear"", ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2025-01-01T10:00:00"", ""run_folder"": """ + Folder1 + @"""},
  {""main_title"": ""Deep Work"", ""author_name"": ""Cal Newport"", ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2024-12-01T09:00:00"", ""run_folder"": """ + OldSystemFolder + @"""},
  {""main_title"": ""No Folder"", ""author_name"": null, ""status"": ""processing"", ""youtube_url"": null, ""short_url"": null, ""date_added"": ""2025-01-03T10:00:00"", ""run_folder"": null}
]}");
            Write($"runs/{Folder1}/summary.json", @"{""search"": ""success"", ""transcribe"": ""failed"", ""tts"": null, ""render"": null}");
            Write($"runs/{Folder1}/{RunDetailsLog.LegacyFileName}", @"{""title"": ""Atomic Habits"", ""author"": ""James Clear"", ""created"": ""2025-01-01T10:00:00+00:00"",
  ""stages"": [
    { ""name"": ""search"", ""attempts"": [ { ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:00:00+00:00"", ""ended"": ""2025-01-01T10:02:30+00:00"", ""result"": ""Succeeded"", ""exitCode"": 0 } ] },
    { ""name"": ""transcribe"", ""attempts"": [
        { ""attempt"": 1, ""batch"": ""b1"", ""started"": ""2025-01-01T10:03:00+00:00"", ""ended"": ""2025-01-01T10:03:01+00:00"", ""result"": ""Failed"", ""exitCode"": 2, ""error"": ""first"" },
        { ""attempt"": 2, ""batch"": ""b1"", ""started"": ""2025-01-01T10:04:00+00:00"", ""ended"": ""2025-01-01T10:04:09+00:00"", ""result"": ""Failed"", ""exitCode"": 3, ""error"": ""boom"" } ] },
    { ""name"": ""tts"", ""attempts"": [ { ""attempt"": 1, ""batch"": ""b2"", ""started"": ""2025-01-02T10:00:00+00:00"" } ] },
    { ""name"": ""render"", ""attempts"": [] } ] }");
            Write($"runs/{Folder1}/logs/search.log", "found it");
            Write($"runs/{Folder1}/logs/transcribe.log", "exit 3");
            Write($"runs/{OldSystemFolder}/summary.json", @"{""search"": ""success"", ""transcribe"": ""success"", ""tts"": ""failed"", ""render"": null}");
        }

        [Fact]
        public void ARunShowsEachStagesStateAttemptsAndLog()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            var run = session.Run("Get-BookRun 'atomic habits' 'JAMES CLEAR'").Succeeded().Objects<BookRun>().Single();
            Assert.Equal(("Atomic Habits", "James Clear", BookState.Processing, Folder1, true), (run.Title, run.Author, run.Status, run.RunFolder, run.Exists));
            Assert.Equal(session.PathOf("runs", Folder1), run.Path);
            Assert.Equal(new[] { "search", "transcribe", "tts", "render" }, run.Stages.Select(s => s.Name));
            Assert.Equal(new[] { StageState.Succeeded, StageState.Failed, StageState.Interrupted, StageState.NotRun }, run.Stages.Select(s => s.State));
            Assert.Equal(new[] { 1, 2, 1, 0 }, run.Stages.Select(s => s.Attempts));
            Assert.Equal("transcribe", run.NextStage);
            Assert.Equal(TimeSpan.FromSeconds(150), run.Stages[0].Duration);
            Assert.Equal(session.PathOf("runs", Folder1, "logs", "search.log"), run.Stages[0].LogPath);
            Assert.Equal((3, "boom"), (run.Stages[1].ExitCode, run.Stages[1].LastError));
            Assert.Null(run.Stages[2].LogPath);
            Assert.Null(run.Stages[3].LogPath);
        }

        [Fact]
        public void AFolderTheOldSystemMadeShowsItsStatesWithNoAttempts()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            var run = session.Run("'Deep Work' | Get-BookRun").Succeeded().Objects<BookRun>().Single();
            Assert.Equal(new[] { StageState.Succeeded, StageState.Succeeded, StageState.Failed, StageState.NotRun }, run.Stages.Select(s => s.State));
            Assert.All(run.Stages, s => Assert.Equal(0, s.Attempts));
            Assert.Equal("tts", run.NextStage);
        }

        [Fact]
        public void WithoutInputEveryBookWithARunFolderIsShown()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, session.Run("Get-BookRun").Succeeded().Objects<BookRun>().Select(r => r.Title));
            Assert.Equal(new[] { "Atomic Habits", "Deep Work", "No Folder" },
                session.Run("Get-BookStatus | Get-BookRun").Succeeded().Objects<BookRun>().Select(r => r.Title));
        }

        [Fact]
        public void ABookWithoutARunFolderStartsAtTheFirstStage()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            var run = session.Run("Get-BookRun 'No Folder'").Succeeded().Objects<BookRun>().Single();
            Assert.Equal(((string?)null, (string?)null, false), (run.RunFolder, run.Path, run.Exists));
            Assert.Empty(run.Stages);
            Assert.Equal("search", run.NextStage);
        }

        [Fact]
        public void AnUnknownBookIsBookNotFoundAndTheOthersStillShow()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            var result = session.Run("'Deep Work', 'Nobody Wrote This', 'Atomic Habits' | Get-BookRun");
            Assert.Equal(new[] { "BookNotFound" }, result.ErrorIds);
            Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
            Assert.Equal("Nobody Wrote This", result.Errors[0].TargetObject?.ToString());
            Assert.Equal(new[] { "Deep Work", "Atomic Habits" }, result.Objects<BookRun>().Select(r => r.Title));
            Assert.Equal(new[] { "BookNotFound" }, session.Run("Get-BookRun 'Nobody Wrote This'").ErrorIds);
        }

        [Fact]
        public void ResultsOfABatchPipeIntoGetBookRun()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            var result = BatchSummaryTests.Result(1, BookOutcome.Failed);
            var asBook = new BookBatchResult(result.BatchId, 1, "Deep Work", "Cal Newport", BookOutcome.Failed, null, "x", null, null, OldSystemFolder,
                Array.Empty<string>(), result.Started, result.Finished);
            var run = session.RunWithInput("$input | Get-BookRun", new object[] { asBook }).Succeeded().Objects<BookRun>().Single();
            Assert.Equal(OldSystemFolder, run.RunFolder);
        }

        [Fact]
        public void WithoutSettingsTheSummarysOrderIsUsed()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            File.Delete(session.PathOf("bookbatch.json"));
            File.WriteAllText(session.PathOf("runs", OldSystemFolder, "summary.json"), @"{""render"": null, ""search"": ""success""}");
            var run = session.Run("Get-BookRun 'Deep Work' -Verbose").Succeeded().Objects<BookRun>().Single();
            Assert.Equal(new[] { "render", "search" }, run.Stages.Select(s => s.Name));
            Assert.Equal("render", run.NextStage);
        }

        [Fact]
        public void ACorruptSummaryIsAnErrorForThatBookOnly()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            File.WriteAllText(session.PathOf("runs", OldSystemFolder, "summary.json"), "{\"search\": ");
            var result = session.Run("Get-BookRun");
            Assert.Equal(new[] { "RunSummaryCorrupt" }, result.ErrorIds);
            Assert.Equal(new[] { "Atomic Habits" }, result.Objects<BookRun>().Select(r => r.Title));
        }

        [Fact]
        public void TheRunAndItsStagesReadAtAGlance()
        {
            using var session = new PowerShellSession();
            MakeWorkspace(session);
            session.Run("Get-BookRun 'Atomic Habits' | Out-Default").Succeeded();
            var screen = session.ScreenText;
            Assert.Matches(@"(?m)^RunFolder\s+: " + Folder1 + @"\s*$", screen);
            Assert.Matches(@"(?m)^NextStage\s+: transcribe\s*$", screen);
            Assert.Matches(@"(?m)^Stages\s+: search: Succeeded, transcribe: Failed, tts: Interrupted, render: NotRun\s*$", screen);

            session.Run("(Get-BookRun 'Atomic Habits').Stages | Out-Default").Succeeded();
            screen = session.ScreenText;
            Assert.Matches(@"(?m)^Name\s+State\s+Attempts\s+Duration\s+ExitCode\s+LastError\s*$", screen);
            Assert.Matches(@"(?m)^search\s+Succeeded\s+1\s+0:02:30\s+0\s*$", screen);
            Assert.Matches(@"(?m)^transcribe\s+Failed\s+2\s+0:00:09\s+3 boom\s*$", screen);
            Assert.Matches(@"(?m)^tts\s+Interrupted\s+1\s*$", screen);
        }
    }
}
