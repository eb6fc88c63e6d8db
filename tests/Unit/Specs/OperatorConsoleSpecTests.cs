using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The operator's console: what a user sees and what scripts get, in the full engine. The xunit twins of the "operator's console" Describe blocks of tests/Pester/Invoke-BookBatch.Tests.ps1, Get-BookStatus.Tests.ps1 and Get-BatchSummary.Tests.ps1.</summary>
    public class OperatorConsoleSpecTests
    {
        private static void NoDefaultConfirm(BatchFixture batch) =>
            batch.Session.Run("$PSDefaultParameterValues.Remove('Invoke-BookBatch:Confirm')").Succeeded();

        [Fact]
        public void AFailedBookIsANonTerminatingBookFailedErrorBesideItsResult()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            var run = batch.Session.Run("'One', 'Two' | Invoke-BookBatch; $?");
            Assert.Equal(2, run.Objects<BookBatchResult>().Count(r => r.Outcome == BookOutcome.Failed));
            Assert.False((bool)run.Output.Last().BaseObject, "$? must be False after a failed book");
            Assert.Equal(new[] { "BookFailed", "BookFailed" }, run.ErrorIds);
            var error = run.Errors[0];
            var target = Assert.IsType<BookBatchResult>(error.TargetObject);
            Assert.Equal(("One", BookOutcome.Failed), (target.Title, target.Outcome));
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.Contains("stage 'tts' failed", error.ToString());
            Assert.Contains("resumes at stage 'tts'", error.ToString());
            Assert.Contains(Path.Combine("logs", "tts.log"), error.ToString());

            var caught = batch.Session.Throws("'Three' | Invoke-BookBatch -ErrorAction Stop");
            Assert.NotNull(caught);
            Assert.StartsWith("BookFailed,", caught!.FullyQualifiedErrorId);
        }

        [Fact]
        public void ResultsAndStatusesSerializeWithNamesSecondsAndJoinedStages()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            batch.Session.Run("$r = 'One | Author' | Invoke-BookBatch -ErrorAction SilentlyContinue");
            var json = batch.Session.Run("($r | ConvertTo-Json | ConvertFrom-Json) | ForEach-Object { '{0}|{1}|{2}' -f $_.Outcome, $_.DurationSeconds.GetType().Name, ($_.StagesRun -join ',') }").Succeeded();
            Assert.Equal("Failed|Double|search,transcribe,process,tts", json.Output.Single().ToString());
            var csv = batch.Session.Run("$r | ConvertTo-Csv | ConvertFrom-Csv | ForEach-Object { '{0}|{1}|{2}' -f $_.Outcome, $_.StagesRun, ([double]$_.DurationSeconds -ge 0) }").Succeeded();
            Assert.Equal("Failed|search, transcribe, process, tts|True", csv.Output.Single().ToString());

            var status = batch.Session.Run("Get-BookStatus | ConvertTo-Json -Compress").Succeeded().Output.Single().ToString();
            Assert.Contains("\"Status\":\"Processing\"", status);
            Assert.Contains("\"Action\":\"Resume\"", status);
            Assert.DoesNotContain("main_title", status);
            var header = batch.Session.Run("Get-BookStatus | ConvertTo-Csv | Select-Object -First 1").Succeeded().Output.Single().ToString();
            Assert.DoesNotContain("main_title", header);
        }

        [Fact]
        public void FormatListShowsEachStatusFieldOnceAndResultsByBookAndOutcome()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'One | Author' | Invoke-BookBatch | Out-Null").Succeeded();
            var status = string.Concat(batch.Session.Run("Get-BookStatus | Format-List * | Out-String").Succeeded().Output);
            Assert.DoesNotContain("main_title", status);
            Assert.Single(Regex.Matches(status, @"^Title\s*:", RegexOptions.Multiline));
            Assert.Equal("One", batch.Session.Run("(Get-BookStatus).main_title").Succeeded().Output.Single().ToString());
            var summary = string.Concat(batch.Session.Run("Get-BatchSummary | Format-List * | Out-String -Width 200").Succeeded().Output);
            Assert.Contains("Results        : {One | Author: Success}", summary);
        }

        [Fact]
        public void ThePlanTableAlignsWideTitles()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'Short', '三体 | 刘慈欣', 'ノルウェイの森 | 村上春樹' | Invoke-BookBatch -WhatIf").Succeeded();
            var rows = batch.Session.ScreenText.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+\d+  ")).ToList();
            Assert.Equal(3, rows.Count);
            // "New" starts in the same terminal column on every row: wide characters take two cells.
            var columns = rows.Select(r => Screen(r.Substring(0, r.IndexOf(" New ", StringComparison.Ordinal)))).Distinct().ToList();
            Assert.Single(columns);
        }

        // Terminal cells of a text, counting the CJK characters of the test as two.
        private static int Screen(string text) => text.Sum(c => c >= 0x2E80 ? 2 : 1);

        [Fact]
        public void AnInteractiveSessionIsAskedOnceForTheBatchAndNoRunsNothing()
        {
            using var batch = new BatchFixture();
            NoDefaultConfirm(batch);
            batch.Session.Host.Screen.ChoiceAnswer = 1; // No
            var declined = batch.Session.Run("'One', 'Two' | Invoke-BookBatch").Succeeded();
            Assert.Empty(declined.Output);
            var prompt = Assert.Single(batch.Session.Host.Screen.Prompts);
            Assert.Contains("Proceed with batch processing? 2 book(s) to process", prompt);
            Assert.Empty(batch.StageRuns());
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")) && Directory.GetFiles(batch.Session.PathOf("batches")).Length > 0);

            batch.Session.Host.Screen.ChoiceAnswer = 0; // Yes
            var ran = batch.Session.Run("'One', 'Two' | Invoke-BookBatch").Succeeded();
            Assert.Equal(2, ran.Objects<BookBatchResult>().Count(r => r.Outcome == BookOutcome.Success));
            Assert.Equal(2, batch.Session.Host.Screen.Prompts.Count); // one more: once for the batch, not per book
        }

        [Fact]
        public void ASessionThatCannotAskFailsAtOnceWithBatchConfirmationRequired()
        {
            using var batch = new BatchFixture();
            NoDefaultConfirm(batch);
            Assert.Null(batch.Session.Host.Screen.ChoiceAnswer); // the host cannot answer, as pwsh -NonInteractive
            var error = batch.Session.Throws("'One' | Invoke-BookBatch");
            Assert.StartsWith("BatchConfirmationRequired,", error!.FullyQualifiedErrorId);
            Assert.Contains("-Confirm:$false", error.ToString());
            Assert.Empty(batch.StageRuns());
            Assert.False(File.Exists(batch.Session.PathOf("database.json")));
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")) && Directory.GetFiles(batch.Session.PathOf("batches")).Length > 0);

            var ran = batch.Session.Run("'One' | Invoke-BookBatch -Confirm:$false").Succeeded();
            Assert.Equal(BookOutcome.Success, ran.Objects<BookBatchResult>().Single().Outcome);
            // Nothing to publish: nothing to confirm.
            Assert.Equal(BookOutcome.Skipped, batch.Session.Run("'One' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single().Outcome);
        }

        [Fact]
        public void ForcingADoneBookIsCalledOutInThePlan()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book 'Done'; Complete-Book 'Done' -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            batch.Session.Run("'Done' | Invoke-BookBatch -Force -WhatIf").Succeeded();
            Assert.Contains("1 to publish again (-Force)", batch.Session.ScreenText);
            Assert.Contains("published already: publishes it AGAIN (-Force)", batch.Session.ScreenText);
        }

        [Fact]
        public void TheFinalSummaryIsWrittenToTheHostWithPercentagesAndTheFailedStagesLog()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
            batch.FailAt("tts");
            var run = batch.Session.Run("'Broken', 'Done', 'Also Broken' | Invoke-BookBatch -ErrorAction SilentlyContinue");
            Assert.Equal(3, run.Objects<BookBatchResult>().Count());
            var screen = batch.Session.ScreenText;
            Assert.Matches(@"Failed\s+2\s+66\.7%", screen);
            Assert.Matches(@"Skipped\s+1\s+33\.3%", screen);
            Assert.Contains("Failed (2):", screen);
            Assert.Contains("tts fails on purpose", screen); // the last lines of the failed stage's log
            Assert.DoesNotContain("Held (", screen); // a done book is not held
        }

        [Fact]
        public void AfterAStopTheHostShowsTheInterruptedLineAndTheSummary()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("render", 30);
            var (shell, running) = batch.Start("'One', 'Two' | Invoke-BookBatch");
            using (shell)
            {
                Assert.True(BatchFixture.WaitUntil(() => batch.Runs("render") > 0), "render never started");
                shell.Stop();
                Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
            }
            var screen = batch.Session.ScreenText;
            Assert.Contains("Interrupted: the running stages were stopped", screen);
            Assert.True(screen.Contains("Interrupted (2):"), screen);
            Assert.True(screen.Contains("One: interrupted during stage 'render'"), screen);
        }

        [Fact]
        public void ProgressShowsTheRunningLastStageWithItsTimeAndWhatBooksWaitFor()
        {
            using var batch = new BatchFixture(retries: 1, retryDelaySeconds: 1.5, stageExtra: name => name == "render" ? "\"concurrency\": 1" : null);
            batch.Session.Host.Screen.RecordProgress = true;
            batch.HoldAt("shorts", 2.5);
            batch.HoldAt("render", 1.5);
            batch.Session.Run("'One', 'Two' | Invoke-BookBatch -ThrottleLimit 2").Succeeded();
            var records = batch.Session.Host.Screen.Progress.ToList();
            // The last stage is drawn, and drawn again while it runs: its clock moves.
            var lastStage = records.Where(r => r.ParentActivityId == 1 && r.StatusDescription.StartsWith("Stage 7 of 7: shorts", StringComparison.Ordinal))
                .Select(r => r.StatusDescription).Distinct().ToList();
            Assert.True(lastStage.Count >= 2, string.Join("; ", lastStage));
            Assert.Contains(records, r => r.ParentActivityId == 1 && r.StatusDescription.StartsWith("Waiting for a place of stage 'render'", StringComparison.Ordinal));
            Assert.Contains(records, r => r.ActivityId == 1 && Regex.IsMatch(r.StatusDescription, @"1 done, 0 failed, about \d+:\d\d left") && r.SecondsRemaining >= 0);

            // One book at a time (the default throttle): its last stage is drawn too, and again while it runs.
            File.Delete(batch.Session.PathOf("hold-render"));
            batch.Session.Host.Screen.Progress.Clear();
            batch.Session.Run("'Four' | Invoke-BookBatch").Succeeded();
            Assert.True(batch.Session.Host.Screen.Progress.Where(r => r.StatusDescription.StartsWith("Stage 7 of 7: shorts", StringComparison.Ordinal))
                .Select(r => r.StatusDescription).Distinct().Count() >= 2);

            batch.FailAt("tts");
            batch.Session.Host.Screen.Progress.Clear();
            batch.Session.Run("'Three' | Invoke-BookBatch -DelaySeconds 0 -ErrorAction SilentlyContinue");
            Assert.Contains(batch.Session.Host.Screen.Progress, r => r.ParentActivityId == 1 && r.StatusDescription.StartsWith("Retry of stage 'tts': in 0:0", StringComparison.Ordinal));
            Assert.Equal(ProgressRecordType.Completed, batch.Session.Host.Screen.Progress.Last(r => r.ActivityId == 1).RecordType);
        }
    }
}
