using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Runs;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class InvokeBookBatchTests
    {
        private static BookBatchResult[] Results(PipelineResult result) => result.Objects<BookBatchResult>().ToArray();

        [Fact]
        public void AnEmptyListRunsNothingAndStillKeepsAJournal()
        {
            using var batch = new BatchFixture();
            var path = batch.WriteBooks("# nothing yet", "");
            var result = batch.Session.Run("Invoke-BookBatch -Path $args[0]", path).Succeeded();
            Assert.Empty(result.Output);
            Assert.Empty(batch.StageRuns());
            var journal = Assert.Single(Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl"));
            Assert.Contains("\"event\":\"end\"", File.ReadAllText(journal));
        }

        [Fact]
        public void OneNewBookRunsEveryStageOnceAndIsRecordedDone()
        {
            using var batch = new BatchFixture();
            var result = Results(batch.Session.Run("'Atomic Habits | James Clear' | Invoke-BookBatch -Privacy Private").Succeeded()).Single();
            Assert.Equal(BookOutcome.Success, result.Outcome);
            Assert.Equal("https://youtube.example/watch?v=AtomicHabits", result.YouTubeUrl);
            Assert.Equal("https://youtube.example/shorts/AtomicHabits", result.ShortUrl);
            Assert.Equal(BatchFixture.StageNames, result.StagesRun);
            Assert.Equal(BatchFixture.StageNames, batch.StageRuns().Select(r => r.Stage));
            Assert.All(batch.StageRuns(), r => Assert.Equal(("Atomic Habits", "James Clear", 1, "private"), (r.Title, r.Author, r.Attempt, r.Privacy)));
            Assert.All(batch.Summary(result.RunFolder!), s => Assert.Equal("success", s.State));
            Assert.StartsWith(DateTime.Now.ToString("yyyy-MM-dd"), result.RunFolder);
            Assert.EndsWith("_Atomic-Habits", result.RunFolder);

            var status = batch.Session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Done, result.YouTubeUrl, result.RunFolder), (status.Status, status.YouTubeUrl, status.RunFolder));
            var log = File.ReadAllText(batch.Session.PathOf("runs", result.RunFolder!, "logs", "tts.log"));
            Assert.Contains("tts ran for Atomic Habits", log);
            Assert.Contains("[error] tts says something on stderr", log);
        }

        [Fact]
        public void ADoneBookIsSkippedWithItsUrl()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book 'Deep Work'; Complete-Book 'Deep Work' -YouTubeUrl https://youtube.com/watch?v=dw").Succeeded();
            var result = Results(batch.Session.Run("'deep work' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal((BookOutcome.Skipped, SkipReason.AlreadyDone, "Already completed", "https://youtube.com/watch?v=dw"),
                (result.Outcome, result.SkipReason, result.Reason, result.YouTubeUrl));
            Assert.Empty(batch.StageRuns());
        }

        [Fact]
        public void AnIncompleteBookResumesAtItsFailedStageWithoutRunningEarlierStagesAgain()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            var failed = Results(batch.Session.Run("'The Alchemist' | Invoke-BookBatch")).Single();
            Assert.Equal(BookOutcome.Failed, failed.Outcome);
            Assert.Contains("stage 'tts' failed: exit code 3", failed.Error);
            Assert.Equal(new[] { ("search", "success"), ("transcribe", "success"), ("process", "success"), ("tts", "failed"), ("render", (string?)null), ("upload", null), ("shorts", null) },
                batch.Summary(failed.RunFolder!));
            var status = batch.Session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Single();
            Assert.Equal((BookState.Processing, BookAction.Resume), (status.Status, status.Action));
            Assert.Contains("exit code 3", status.LastError);

            batch.StopFailing("tts");
            var resumed = Results(batch.Session.Run("'The Alchemist' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, resumed.Outcome);
            Assert.Equal(failed.RunFolder, resumed.RunFolder);
            Assert.Equal(new[] { "tts", "render", "upload", "shorts" }, resumed.StagesRun);
            foreach (var stage in new[] { "search", "transcribe", "process", "render", "upload", "shorts" }) Assert.Equal(1, batch.Runs(stage));
            Assert.Equal(2, batch.Runs("tts"));
            Assert.Equal(2, batch.StageRuns().Last(r => r.Stage == "tts").Attempt);
            Assert.Equal(BookState.Done, batch.Session.Run("Get-BookStatus").Objects<BookStatus>().Single().Status);
        }

        [Fact]
        public void AMixOfNewDoneAndIncompleteBooksEachGetsItsAction()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            batch.FailAt("render");
            batch.Session.Run("'Half' | Invoke-BookBatch");
            batch.StopFailing("render");
            var path = batch.WriteBooks("# three kinds", "New | Someone", "", "Done", "Half");
            var results = Results(batch.Session.Run("Invoke-BookBatch -Path $args[0]", path).Succeeded());
            Assert.Equal(new[] { ("New", BookOutcome.Success), ("Done", BookOutcome.Skipped), ("Half", BookOutcome.Resumed) },
                results.Select(r => (r.Title, r.Outcome)));
            Assert.Equal(new[] { 1, 2, 3 }, results.Select(r => r.Index));
            Assert.Equal(1, batch.Runs("search", "Half"));
            Assert.Equal(2, batch.Runs("render", "Half"));
            Assert.Equal(0, batch.Runs("search", "Done"));
        }

        [Fact]
        public void ForceProcessesADoneBookAgainInANewRunFolder()
        {
            using var batch = new BatchFixture();
            var first = Results(batch.Session.Run("'Deep Work' | Invoke-BookBatch").Succeeded()).Single();
            Thread.Sleep(1100); // a new second: a new folder name, not only a suffix
            var again = Results(batch.Session.Run("'Deep Work' | Invoke-BookBatch -NoSkip").Succeeded()).Single();
            Assert.Equal(BookOutcome.Success, again.Outcome);
            Assert.NotEqual(first.RunFolder, again.RunFolder);
            Assert.Equal(2, batch.Runs("upload"));
        }

        [Fact]
        public void AnInvalidLineIsAnErrorAndTheGoodLinesRun()
        {
            using var batch = new BatchFixture();
            var path = batch.WriteBooks("Good One", " | Nobody", "Good Two | Author");
            var result = batch.Session.Run("Get-Content -LiteralPath $args[0] | Invoke-BookBatch", path);
            var error = Assert.Single(result.Errors);
            Assert.StartsWith("InvalidBookLine,", error.FullyQualifiedErrorId);
            Assert.Contains("Line 2", error.ToString());
            Assert.Equal(new[] { "Good One", "Good Two" }, Results(result).Select(r => r.Title));
            Assert.All(Results(result), r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.Equal("", batch.StageRuns().First(r => r.Title == "Good One").Author);
        }

        [Fact]
        public void NoInputAtAllIsAClearError()
        {
            using var batch = new BatchFixture();
            var error = batch.Session.Throws("Invoke-BookBatch");
            Assert.StartsWith("BookListMissing,", error!.FullyQualifiedErrorId);
            Assert.Contains("-Path", error.ToString());
        }

        [Fact]
        public void WhatIfPreferenceShowsThePlanOnly()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("$WhatIfPreference = $true; 'New Book' | Invoke-BookBatch; $WhatIfPreference = $false").Succeeded();
            Assert.Empty(batch.StageRuns());
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")) && Directory.GetFiles(batch.Session.PathOf("batches")).Length > 0);
        }

        [Fact]
        public void BooksGivenByNameRunLikePipedOnes()
        {
            using var batch = new BatchFixture();
            var results = Results(batch.Session.Run("Invoke-BookBatch -InputObject 'One', 'Two | Author'").Succeeded());
            Assert.Equal(new[] { "One", "Two" }, results.Select(r => r.Title));
        }

        [Fact]
        public void APathThatIsNoBookListIsAClearError()
        {
            using var batch = new BatchFixture();
            Directory.CreateDirectory(batch.Session.PathOf("lists"));
            var result = batch.Session.Run("Invoke-BookBatch -Path lists, 'nothing*.txt'");
            Assert.Equal(new[] { "BookListUnreadable", "BookListNotFound" }, result.ErrorIds.Take(2));
            Assert.Contains("cannot be read", result.Errors[0].ToString());
            Assert.Empty(batch.StageRuns());
        }

        [Fact]
        public void ADatabaseDamagedDuringTheBatchStopsItCleanly()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("shorts", 3);
            var (ps, running) = batch.Start("try { 'First', 'Second' | Invoke-BookBatch } catch { $_ }");
            using var _ = ps;
            Assert.True(BatchFixture.WaitUntil(() => batch.Runs("shorts") > 0), "the shorts stage never started");
            var database = batch.Session.PathOf("database.json");
            File.WriteAllText(database, "{\"books\": [");
            var output = ps.EndInvoke(running);
            var error = output.Select(o => o.BaseObject).OfType<ErrorRecord>().Single();
            Assert.StartsWith("BookDatabaseCorrupt,", error.FullyQualifiedErrorId);
            Assert.Equal("{\"books\": [", File.ReadAllText(database));
            Assert.Equal(0, batch.Runs("search", "Second"));
            var end = JsonDocument.Parse(File.ReadAllLines(Directory.GetFiles(batch.Session.PathOf("batches")).Single()).Last()).RootElement;
            Assert.Equal("end", end.GetProperty("event").GetString());
            Assert.Contains("damaged", end.GetProperty("error").GetString());
        }

        [Fact]
        public void ResultsPipedToGetBookRunFindBooksTheBatchJustRecorded()
        {
            using var batch = new BatchFixture();
            var runs = batch.Session.Run("'First New', 'Second New' | Invoke-BookBatch | Get-BookRun").Succeeded()
                .Objects<BookBatch.Engine.Runs.BookRun>().ToList();
            Assert.Equal(new[] { "First New", "Second New" }, runs.Select(r => r.Title));
            Assert.All(runs, r => Assert.Null(r.NextStage));
        }

        [Fact]
        public void WhatIfShowsThePlanAndRunsNothing()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            var result = batch.Session.Run("'Done', 'New Book' | Invoke-BookBatch -WhatIf").Succeeded();
            Assert.Empty(result.Output);
            Assert.Empty(batch.StageRuns());
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")) && Directory.GetFiles(batch.Session.PathOf("batches")).Length > 0);
            var screen = batch.Session.ScreenText;
            Assert.Contains("Batch plan: 2 book(s): 1 to process, 0 to resume, 1 to skip", screen);
            Assert.Matches(@"1\s+Done\s+Done\s+Skip\s+Already completed", screen);
            Assert.Matches(@"2\s+New Book\s+New\s+Process", screen);
            Assert.Contains("What if: Performing the operation \"Process the new book\" on target \"New Book\"", screen);
            Assert.Single(batch.Session.Run("Get-BookStatus").Output);
        }

        [Fact]
        public void ConfirmAsksPerBookAndADeclinedBookIsSkipped()
        {
            using var batch = new BatchFixture();
            batch.Session.Host.Screen.ChoiceAnswer = 2; // "No"
            var results = Results(batch.Session.Run("'One', 'Two' | Invoke-BookBatch -Confirm").Succeeded());
            Assert.Equal(2, batch.Session.Host.Screen.Prompts.Count);
            Assert.All(results, r => Assert.Equal((BookOutcome.Skipped, SkipReason.Declined, "declined at the confirmation"), (r.Outcome, r.SkipReason, r.Reason)));
            Assert.Empty(batch.StageRuns());
        }

        [Fact]
        public void ANonInteractiveRunNeverPrompts()
        {
            using var batch = new BatchFixture();
            Assert.Null(batch.Session.Host.Screen.ChoiceAnswer); // a prompt would fail the run
            var results = Results(batch.Session.Run("'One' | Invoke-BookBatch").Succeeded());
            Assert.Equal(BookOutcome.Success, results.Single().Outcome);
            Assert.Empty(batch.Session.Host.Screen.Prompts);
        }

        [Fact]
        public void TitlesAreDataNeverCodeOrPaths()
        {
            using var batch = new BatchFixture();
            var titles = new[] { "$(touch pwned); rm -rf x", "../../escape", "..\\..\\escape | `whoami`", "CON", "a\"b'c & d > e" };
            batch.WriteBooks(titles);
            var results = Results(batch.Session.Run("Get-Content books.txt | Invoke-BookBatch").Succeeded());
            Assert.Equal(5, results.Length);
            Assert.All(results, r => Assert.Equal(BookOutcome.Success, r.Outcome));
            Assert.False(File.Exists(batch.Session.PathOf("pwned")));
            Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "pwned")));
            Assert.False(Directory.Exists(Path.GetFullPath(Path.Combine(batch.Workspace, "..", "..", "escape"))));
            var runs = Path.GetFullPath(batch.Session.PathOf("runs"));
            foreach (var result in results)
            {
                var folder = Path.GetFullPath(Path.Combine(runs, result.RunFolder!));
                Assert.Equal(runs, Path.GetDirectoryName(folder));
                Assert.Matches("^[0-9_-]+_[A-Za-z0-9-]+$", result.RunFolder);
            }
            // Each title reached the stage as one whole argument, exactly as written.
            var searched = batch.StageRuns().Where(r => r.Stage == "search").ToList();
            Assert.Equal(new[] { "$(touch pwned); rm -rf x", "../../escape", "..\\..\\escape", "CON", "a\"b'c & d > e" }, searched.Select(r => r.Arguments[0]));
            Assert.Equal("`whoami`", searched[2].Arguments[1]);
        }

        [Fact]
        public void AStageThatTimesOutHasItsWholeProcessTreeEnded()
        {
            using var batch = new BatchFixture(timeoutSeconds: 2);
            batch.SleepAt("transcribe", 60);
            var result = Results(batch.Session.Run("'Slow Book' | Invoke-BookBatch")).Single();
            Assert.Equal(BookOutcome.Failed, result.Outcome);
            Assert.Contains("timed out after 2 s", result.Error);
            batch.AssertProcessesGone("transcribe", 1);
            Assert.Equal("failed", batch.Summary(result.RunFolder!).Single(s => s.Stage == "transcribe").State);
            Assert.Equal(0, batch.Runs("process"));
        }

        [Fact]
        public void TheBookTimeOutEndsTheBook()
        {
            using var batch = new BatchFixture();
            batch.SleepAt("search", 60);
            var result = Results(batch.Session.Run("'Slow Book' | Invoke-BookBatch -TimeoutSeconds 2")).Single();
            Assert.Equal(BookOutcome.Failed, result.Outcome);
            Assert.Contains("the book timed out after 2 s during stage 'search'", result.Error);
            batch.AssertProcessesGone("search", 1);
        }

        [Fact]
        public void StoppingTheBatchMidStageEndsTheTreeMarksTheStageNotDoneAndKeepsTheSummary()
        {
            using var batch = new BatchFixture();
            batch.SleepAt("tts", 60);
            using var ps = PowerShell.Create();
            ps.Runspace = batch.Session.Runspace;
            ps.AddScript("'First', 'Second', 'Third' | Invoke-BookBatch");
            var output = new PSDataCollection<PSObject>();
            var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
            var pids = batch.Session.PathOf("pids-tts");
            BatchFixture.WaitUntil(() => File.Exists(pids));
            Assert.True(File.Exists(pids), "the tts stage never started");
            // The running attempt is in the details while it runs: started, not ended.
            var running = Directory.GetDirectories(batch.Session.PathOf("runs")).Single();
            List<AttemptDetails> TtsAttempts() =>
                RunFolder.ReadDetails(running)?.Stages.SingleOrDefault(s => s.Name == "tts")?.Attempts ?? new List<AttemptDetails>();
            Assert.True(BatchFixture.WaitUntil(() => TtsAttempts().Count == 1, 10), "the running attempt was never recorded");
            var attempt = TtsAttempts()[0];
            Assert.Equal(1, attempt.Attempt);
            Assert.True(attempt.Started > DateTimeOffset.Now.AddMinutes(-1), $"started {attempt.Started}");
            Assert.Null(attempt.Ended);
            Assert.Null(attempt.Result);
            Thread.Sleep(300);
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(async));
            batch.AssertProcessesGone("tts", 1);

            var folder = Directory.GetDirectories(batch.Session.PathOf("runs")).Single();
            var summary = batch.Summary(Path.GetFileName(folder));
            Assert.Equal(new[] { "success", "success", "success", null, null, null, null }, summary.Select(s => s.State));
            Assert.Equal(BookState.Processing, batch.Session.Run("Get-BookStatus").Objects<BookStatus>().Single().Status);

            var journal = File.ReadAllLines(Directory.GetFiles(batch.Session.PathOf("batches")).Single()).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var end = journal.Last();
            Assert.Equal("end", end.GetProperty("event").GetString());
            Assert.True(end.GetProperty("interrupted").GetBoolean());
            var results = journal.Where(e => e.GetProperty("event").GetString() == "result").ToList();
            Assert.Equal(new[] { "interrupted during stage 'tts'", "interrupted", "interrupted" }, results.Select(r => r.GetProperty("reason").GetString()));
            Assert.All(results, r => Assert.Equal("Skipped", r.GetProperty("outcome").GetString()));

            // The next batch resumes the interrupted book at the stage that was stopped.
            File.Delete(batch.Session.PathOf("sleep-tts"));
            var resumed = Results(batch.Session.Run("'First' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal((BookOutcome.Resumed, "tts"), (resumed.Outcome, resumed.StagesRun[0]));
        }

        [Fact]
        public void AStageWhoseProgramCannotStartFailsAndIsRecordedAsAnAttempt()
        {
            using var batch = new BatchFixture();
            // A file that is there (so the settings' check finds it) but is no program: it cannot be started.
            File.WriteAllText(batch.Session.PathOf("not-a-program.txt"), "just text");
            File.WriteAllText(batch.Session.PathOf("bookbatch.json"),
                "{\"delaySeconds\": 0, \"stages\": [{\"name\": \"search\", \"command\": \"./not-a-program.txt\"}]}");
            var result = Results(batch.Session.Run("'Missing Program' | Invoke-BookBatch")).Single();
            Assert.Equal(BookOutcome.Failed, result.Outcome);
            Assert.Contains($"could not start '{batch.Session.PathOf("not-a-program.txt")}'", result.Error);

            var folder = batch.Session.PathOf("runs", result.RunFolder!);
            var attempt = RunFolder.ReadDetails(folder)!.Stages.Single().Attempts.Single();
            Assert.Equal(("Failed", true), (attempt.Result, attempt.Error!.Contains("could not start")));
            Assert.NotNull(attempt.Ended);
            Assert.Contains("could not start", File.ReadAllText(Path.Combine(folder, "logs", "search.log")));
            Assert.Equal("failed", batch.Summary(result.RunFolder!).Single().State);
        }

        [Fact]
        public void AnUploadWhoseOutputsWereRecordedIsNeverRunAgain()
        {
            using var batch = new BatchFixture();
            batch.FailAt("shorts");
            var failed = Results(batch.Session.Run("'Published Once' | Invoke-BookBatch")).Single();
            // The process died right after the upload wrote its outputs: summary.json never said "success".
            var summaryPath = batch.Session.PathOf("runs", failed.RunFolder!, "summary.json");
            File.WriteAllText(summaryPath, File.ReadAllText(summaryPath).Replace("\"upload\": \"success\"", "\"upload\": null"));
            batch.StopFailing("shorts");
            var resumed = Results(batch.Session.Run("'Published Once' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, resumed.Outcome);
            Assert.Equal(1, batch.Runs("upload"));
            Assert.Equal("https://youtube.example/watch?v=PublishedOnce", resumed.YouTubeUrl);
            Assert.Equal(new[] { "shorts" }, resumed.StagesRun);
        }

        [Fact]
        public void AProcessingBookWhoseRunFolderIsGoneStartsANewOneAndSaysSo()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("database.json"), "{\"books\": [{\"main_title\": \"Lost\", \"status\": \"processing\", \"run_folder\": \"2020-01-01_00-00-00_Lost\"}]}");
            var result = Results(batch.Session.Run("'Lost' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Resumed, result.Outcome);
            Assert.NotEqual("2020-01-01_00-00-00_Lost", result.RunFolder);
            Assert.Contains("was gone; started a new one", result.Reason);
            Assert.Equal(7, batch.StageRuns().Count);
        }

        [Fact]
        public void InvalidSettingsAreRefusedBeforeAnyWork()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("bookbatch.json"), "{\"stages\": [{\"name\": \"search\", \"command\": \"x\", \"timeoutSeconds\": -1}]}");
            var error = batch.Session.Throws("'One' | Invoke-BookBatch");
            Assert.StartsWith("BookBatchSettingsInvalid,", error!.FullyQualifiedErrorId);
            Assert.Contains("stages[0].timeoutSeconds", error.ToString());
            Assert.Contains("bookbatch.json", error.ToString());
            Assert.False(File.Exists(batch.Session.PathOf("database.json")));
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")));

            File.WriteAllText(batch.Session.PathOf("bookbatch.json"), "{\"stages\": [{\"name\": \"search\", \"command\": \"x\", \"arguments\": [\"{titel}\"]}]}");
            Assert.Contains("{titel}", batch.Session.Throws("'One' | Invoke-BookBatch")!.ToString());
        }

        [Fact]
        public void ProgressIsNestedAndAlwaysCompleted()
        {
            using var batch = new BatchFixture();
            batch.Session.Host.Screen.RecordProgress = true;
            batch.Session.Run("'One', 'Two' | Invoke-BookBatch").Succeeded();
            var records = batch.Session.Host.Screen.Progress;
            Assert.Contains(records, r => r.ActivityId == 1 && r.StatusDescription.StartsWith("Book 2 of 2"));
            // Drawn at most every 200 ms (a stage may come and go between two draws), each with the time it has run.
            Assert.Contains(records, r => r.ParentActivityId == 1 && System.Text.RegularExpressions.Regex.IsMatch(r.StatusDescription, @"^Stage [1-7] of 7: \w+ \(0:0\d\)$"));
            Assert.Equal(ProgressRecordType.Completed, records.Last(r => r.ActivityId == 1).RecordType);
            foreach (var child in records.Where(r => r.ParentActivityId == 1).GroupBy(r => r.ActivityId))
                Assert.Equal(ProgressRecordType.Completed, child.Last().RecordType);
        }

        [Fact]
        public void TheExampleWorkspaceRunsItsScriptStagesFailsOnRequestAndResumes()
        {
            using var session = new PowerShellSession();
            session.Run("New-BookWorkspace . -Force | Out-Null").Succeeded();
            File.WriteAllText(session.PathOf("fail-at.txt"), "tts");
            var first = session.Run("Invoke-BookBatch -Path books.txt -DelaySeconds 0").Objects<BookBatchResult>().ToList();
            Assert.Equal(3, first.Count);
            Assert.All(first, r => Assert.Equal(BookOutcome.Failed, r.Outcome));
            Assert.True(File.Exists(session.PathOf("runs", first[0].RunFolder!, "process.txt")));
            Assert.Contains("failing on purpose", File.ReadAllText(session.PathOf("runs", first[0].RunFolder!, "logs", "tts.log")));

            File.Delete(session.PathOf("fail-at.txt"));
            var second = session.Run("Invoke-BookBatch -Path books.txt -DelaySeconds 0").Succeeded().Objects<BookBatchResult>().ToList();
            Assert.All(second, r => Assert.Equal(BookOutcome.Resumed, r.Outcome));
            Assert.All(second, r => Assert.StartsWith("https://www.example.com/watch?v=", r.YouTubeUrl));
            Assert.True(File.Exists(session.PathOf("published", second[0].RunFolder + ".txt")));

            var third = session.Run("Invoke-BookBatch -Path books.txt").Succeeded().Objects<BookBatchResult>().ToList();
            Assert.All(third, r => Assert.Equal(BookOutcome.Skipped, r.Outcome));
        }
    }
}
