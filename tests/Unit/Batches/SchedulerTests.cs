using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Batches
{
    public class SchedulerTests
    {
        private static BookBatchResult[] Results(PipelineResult result) => result.Objects<BookBatchResult>().ToArray();


        [Fact]
        public void TheNextBookIsBegunDuringTheLastStageOfTheOneBeforeItAndRunsOnlyAfterIt()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("shorts", 1.5);
            var (ps, running) = batch.Start("'One', 'Two' | Invoke-BookBatch");
            using var shell = ps;
            Assert.True(BatchFixture.WaitUntil(() => batch.StageRuns().Any(r => r.Stage == "shorts" && r.Title == "One")), "book One never reached its last stage");
            // While One runs its last stage, Two is taken: recorded as processing, with its run folder.
            var ledger = new LedgerStore(new BookBatch.Engine.Workspaces.Workspace(batch.Workspace));
            LedgerEntry? Two() => ledger.Read().Find(new BookBatch.Engine.Books.Book("Two", null)).Entry;
            Assert.True(BatchFixture.WaitUntil(() => Two()?.State == BookState.Processing && Two()!.RunFolder != null, 1),
                "book Two was not begun while book One ran its last stage");
            Assert.DoesNotContain(batch.StageRuns(), r => r.Title == "Two");
            var results = ps.EndInvoke(running).Select(o => (BookBatchResult)o.BaseObject).ToList();
            Assert.Equal(new[] { ("One", BookOutcome.Success), ("Two", BookOutcome.Success) }, results.Select(r => (r.Title, r.Outcome)));
            // One book in flight at a time all the same: Two's first stage began after One's last ended.
            var intervals = batch.Intervals();
            Assert.True(intervals.Where(i => i.Title == "Two").Min(i => i.Start) >= intervals.Where(i => i.Title == "One").Max(i => i.End));
        }

        [Fact]
        public void TheEarliestBookGoesFirstWhenASlotFrees()
        {
            using var batch = new BatchFixture(stageExtra: s => s == "render" ? "\"concurrency\": 1" : null);
            // The first book to reach render holds it long enough for the others to be ready and waiting.
            batch.HoldAt("render", 2.5);
            batch.WriteBooks(Enumerable.Range(1, 5).Select(i => $"Book {i}").ToArray());
            batch.Session.Run("Get-Content books.txt | Invoke-BookBatch -ThrottleLimit 5").Succeeded();
            var intervals = batch.Intervals();
            var renders = intervals.Where(i => i.Stage == "render").OrderBy(i => i.Start).ToList();
            var ready = intervals.Where(i => i.Stage == "tts").ToDictionary(i => i.Title, i => i.End);
            // Whenever the slot freed, the book that took it was the earliest of those ready then.
            for (var i = 1; i < renders.Count; i++)
            {
                var freed = renders[i - 1].End;
                var waiting = renders.Skip(i).Where(r => ready[r.Title] < freed).Select(r => r.Title).ToList();
                if (waiting.Count > 0) Assert.Equal(waiting.OrderBy(t => t).First(), renders[i].Title);
            }
            Assert.Contains(Enumerable.Range(1, renders.Count - 1), i => renders.Skip(i).Count(r => ready[r.Title] < renders[i - 1].End) > 1);
        }

        [Fact]
        public void TwoBatchesOverOneListRunEveryStageOfEveryBookExactlyOnce()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("process", 0.2);
            var list = batch.WriteBooks(Enumerable.Range(1, 6).Select(i => $"Shared {i}").ToArray());
            using var other = new PowerShellSession(createWorkspaceFolder: false);
            using var first = PowerShell.Create();
            using var second = PowerShell.Create();
            first.Runspace = batch.Session.Runspace;
            second.Runspace = other.Runspace;
            first.AddScript("param($l) Invoke-BookBatch -Path $l -ThrottleLimit 2").AddArgument(list);
            second.AddScript("param($w, $l) Invoke-BookBatch -Workspace $w -Path $l -ThrottleLimit 2").AddArgument(batch.Workspace).AddArgument(list);
            var a = first.BeginInvoke();
            var b = second.BeginInvoke();
            var results = first.EndInvoke(a).Concat(second.EndInvoke(b)).Select(o => (BookBatchResult)o.BaseObject).ToList();
            Assert.False(first.HadErrors || second.HadErrors);

            foreach (var stage in BatchFixture.StageNames)
                foreach (var i in Enumerable.Range(1, 6))
                    Assert.Equal(1, batch.Runs(stage, $"Shared {i}"));
            var worked = results.Where(r => r.Outcome == BookOutcome.Success).Select(r => r.Title).OrderBy(t => t).ToList();
            Assert.Equal(Enumerable.Range(1, 6).Select(i => $"Shared {i}"), worked);
            Assert.All(results.Where(r => r.Outcome == BookOutcome.Skipped), r => Assert.Matches("in progress in another batch|completed by another batch|Already completed", r.Reason));
            Assert.All(batch.Session.Run("Get-BookStatus").Objects<BookStatus>(), s => Assert.Equal(BookState.Done, s.Status));
        }

        [Fact]
        public void ABookHeldByAnotherBatchIsPlannedInProgressAndLeftAlone()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("search", 30);
            using var ps = PowerShell.Create();
            using var other = new PowerShellSession(createWorkspaceFolder: false);
            ps.Runspace = other.Runspace;
            ps.AddScript("param($w) 'Held' | Invoke-BookBatch -Workspace $w").AddArgument(batch.Workspace);
            var running = ps.BeginInvoke();
            BatchFixture.WaitUntil(() => batch.Runs("search") > 0, 30);

            var plan = batch.Session.Run("'Held' | Invoke-BookBatch -WhatIf").Succeeded();
            Assert.Matches(@"1\s+Held\s+Processing\s+InProgress\s+in progress in another batch: batch \S+ on ", batch.Session.ScreenText);
            var result = Results(batch.Session.Run("'Held' | Invoke-BookBatch").Succeeded()).Single();
            Assert.Equal(BookOutcome.Skipped, result.Outcome);
            Assert.Equal(SkipReason.InProgress, result.SkipReason);
            Assert.Contains("in progress in another batch", result.Reason);
            ps.Stop();
            Assert.Equal(1, batch.Runs("search"));
        }

        [Fact]
        public void ABatchWhoseProcessIsKilledLeavesNoHoldBehind()
        {
            using var batch = new BatchFixture();
            batch.HoldAt("tts", 60);
            var list = batch.WriteBooks("Crashed One", "Crashed Two");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
            foreach (var arg in new[] { typeof(SchedulerTests).Assembly.Location, "batch", batch.Workspace, list, "2" }) start.ArgumentList.Add(arg);
            using var child = Process.Start(start)!;
            BatchFixture.WaitUntil(() => batch.Runs("tts") >= 2);
            Assert.Equal(2, batch.Runs("tts"));
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            batch.WaitForLeftovers(); // the killed stages may linger for a moment; a later batch waits for them

            File.Delete(batch.Session.PathOf("hold-tts"));
            var results = Results(batch.Session.Run("Invoke-BookBatch -Path $args[0] -ThrottleLimit 2", list).Succeeded());
            Assert.All(results, r => Assert.Equal((BookOutcome.Resumed, "tts"), (r.Outcome, r.StagesRun[0])));
            Assert.Equal(2, batch.Runs("process"));
        }

        [Fact]
        public void ABatchWaitingForItsStagesLeavesTheProcessorAlone()
        {
            // Books queued behind a full throttle with no delay between starts once kept the scheduler waking itself
            // up without pause: a whole core busy while the stages ran.
            using var batch = new BatchFixture();
            batch.HoldAt("search", 3);
            var list = batch.WriteBooks("Waiting One", "Waiting Two", "Waiting Three");
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { typeof(SchedulerTests).Assembly.Location, "batch", batch.Workspace, list, "1" }) start.ArgumentList.Add(arg);
            using var child = Process.Start(start)!;
            var errors = new System.Text.StringBuilder();
            child.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
            child.BeginErrorReadLine();
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            Assert.True(child.ExitCode == 0, errors.ToString());
            var figures = System.Text.RegularExpressions.Regex.Match(output, @"cpu-ms (\d+) wall-ms (\d+)");
            Assert.True(figures.Success, output);
            var (cpu, wall) = (double.Parse(figures.Groups[1].Value), double.Parse(figures.Groups[2].Value));
            Assert.True(wall >= 9000, $"the three 3-second searches took only {wall} ms");
            Assert.True(cpu < wall / 2, $"the batch used {cpu} ms of processor time in {wall} ms");
            Assert.Equal(3, batch.Runs("shorts"));
        }

        [Fact]
        public void StoppingWithSeveralBooksInFlightEndsEveryProcessTree()
        {
            using var batch = new BatchFixture();
            batch.SleepAt("transcribe", 60);
            var (ps, running) = batch.Start("'A', 'B', 'C', 'D' | Invoke-BookBatch -ThrottleLimit 3");
            using var _ = ps;
            BatchFixture.WaitUntil(() => batch.Runs("transcribe") >= 3);
            Assert.Equal(3, batch.Runs("transcribe"));
            Thread.Sleep(1500); // each stage has started its sleeper grandchild
            ps.Stop();
            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));

            batch.AssertProcessesGone("transcribe", 3);
            foreach (var folder in Directory.GetDirectories(batch.Session.PathOf("runs")))
                Assert.Null(batch.Summary(Path.GetFileName(folder)).Single(s => s.Stage == "transcribe").State);
            Assert.Equal(3, Directory.GetDirectories(batch.Session.PathOf("runs")).Length);
            Assert.All(batch.Session.Run("Get-BookStatus").Objects<BookStatus>(), s => Assert.Equal(BookState.Processing, s.Status));
        }
    }
}
