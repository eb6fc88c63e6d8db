using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Books;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Dashboard;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Reports;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Stores;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Reports
{
    public class WorkspaceReaderTests
    {
        private const string Settings = @"{""stages"": [
            {""name"": ""a"", ""command"": ""true""},
            {""name"": ""b"", ""command"": ""true"", ""concurrency"": 1, ""retries"": 2, ""retryDelaySeconds"": 30},
            {""name"": ""c"", ""command"": ""true"", ""rate"": {""starts"": 1, ""perSeconds"": 3600}},
            {""name"": ""upload"", ""command"": ""true""}]}";

        private static readonly string[] Stages = { "a", "b", "c", "upload" };

        /// <summary>A batch of this process, running, as its files show it: journal, holders, ledger, run folders.</summary>
        private sealed class RunningBatch : IDisposable
        {
            private readonly List<IDisposable> _held = new();
            private readonly BatchJournal _journal;

            public RunningBatch(TempWorkspace temp, string id = "20260101-100000-aaaa")
            {
                Temp = temp;
                Id = id;
                temp.Write("bookbatch.json", Settings);
                _journal = BatchJournal.Create(temp.Workspace, id);
                _journal.Write("start", w =>
                {
                    w.WriteString("batch", id);
                    w.WriteString("host", Environment.MachineName);
                    w.WriteNumber("pid", System.Diagnostics.Process.GetCurrentProcess().Id);
                });
            }

            public TempWorkspace Temp { get; }
            public string Id { get; }

            /// <summary>A book the batch holds, with its run folder; <paramref name="work"/> records its attempts.</summary>
            public RunFolder Book(string title, Action<RunFolder> work)
            {
                var book = new Book(title);
                _journal.Write("plan", w => { w.WriteString("book", book.ToString()); w.WriteString("action", "Process"); });
                _held.Add(BookLease.TryAcquire(Temp.Workspace, book, Id)!);
                var folder = RunFolder.Create(Temp.Workspace, book, Stages, DateTime.Now);
                _held.Add(folder);
                new LedgerStore(Temp.Workspace).Update(ledger => { ledger.Add(book, DateTime.Now).RunFolder = folder.Name; return (true, 0); });
                work(folder);
                folder.FlushSummary().GetAwaiter().GetResult();
                return folder;
            }

            public void Dispose()
            {
                foreach (var held in _held) held.Dispose();
                _journal.Dispose();
            }
        }

        private static void Succeeded(RunFolder folder, string stage, DateTimeOffset at, string batch = "20260101-100000-aaaa")
        {
            folder.AttemptStarted(stage, 1, batch, at.AddSeconds(-2));
            folder.AttemptEnded(stage, new StageOutcome(StageResult.Succeeded, 0, null), at, null);
        }

        [Fact]
        public void EachBookInFlightShowsTheStageItRunsOrWhatItWaitsFor()
        {
            using var temp = new TempWorkspace();
            using var batch = new RunningBatch(temp);
            var now = DateTimeOffset.Now;
            batch.Book("Running One", f => { Succeeded(f, "a", now.AddSeconds(-20)); f.AttemptStarted("b", 1, batch.Id, now.AddSeconds(-3)); });
            batch.Book("Waiting Slot", f => Succeeded(f, "a", now.AddSeconds(-10)));
            batch.Book("Retry Soon", f =>
            {
                Succeeded(f, "a", now.AddSeconds(-30));
                f.AttemptStarted("b", 1, batch.Id, now.AddSeconds(-8));
                f.AttemptEnded("b", new StageOutcome(StageResult.Failed, 3, "exit code 3"), now.AddSeconds(-5), null);
            });
            batch.Book("Quota Wait", f => { Succeeded(f, "a", now.AddSeconds(-40)); Succeeded(f, "b", now.AddSeconds(-30)); });
            var settings = PipelineSettings.Load(temp.Workspace.SettingsPath, temp.Workspace.Root);
            Assert.True(new RateWindow(temp.Workspace, settings.Stages.Single(s => s.Name == "c")).TryStart(now, CancellationToken.None, out _));
            new LedgerStore(temp.Workspace).Update(l => { l.Add(new Book("In Review"), DateTime.Now).Review = "upload"; return (true, 0); });

            // Read as at the moment the files were written for: a slow machine's set-up must not move "in about 25 s".
            var snapshot = new WorkspaceReader(temp.Workspace, WorkspaceStore.Open(temp.Workspace)).Read(now);

            var books = snapshot.Books.ToDictionary(b => b.Title);
            Assert.Equal(("running", "b"), (books["Running One"].State, books["Running One"].Stage));
            Assert.Equal(("slot", "b"), (books["Waiting Slot"].State, books["Waiting Slot"].Stage));
            Assert.Contains("1 of 1 in use", books["Waiting Slot"].Text);
            Assert.Equal(("retry", "b"), (books["Retry Soon"].State, books["Retry Soon"].Stage));
            Assert.Matches(@"retry 1 of 2 of b in about 2[45] s \(exit code 3\)", books["Retry Soon"].Text);
            Assert.Equal(("quota", "c"), (books["Quota Wait"].State, books["Quota Wait"].Stage));
            Assert.Equal(("review", "upload"), (books["In Review"].State, books["In Review"].Stage));
            Assert.All(snapshot.Books.Where(b => b.State != "review"), b => Assert.Equal(batch.Id, b.Batch));

            var stages = snapshot.Stages.ToDictionary(s => s.Name);
            Assert.Equal((1, 1), (stages["b"].InUse, stages["b"].Concurrency));
            Assert.Equal(0, stages["a"].InUse);
            Assert.Equal(1, stages["c"].StartsInWindow);
            Assert.InRange(stages["c"].ClosedUntil!.Value, now.AddSeconds(3590), now.AddSeconds(3601));
            var running = Assert.Single(snapshot.Batches);
            Assert.True(running.Running);
            Assert.Contains("data-result=\"Running\"", running.TimelineHtml);
        }

        [Fact]
        public void ABatchWhoseProcessIsGoneIsNotRunningAndItsBooksAreNotInFlight()
        {
            using var temp = new TempWorkspace();
            temp.Write("bookbatch.json", Settings);
            using (var journal = BatchJournal.Create(temp.Workspace, "20260101-090000-dead"))
                journal.Write("start", w => { w.WriteString("host", Environment.MachineName); w.WriteNumber("pid", int.MaxValue - 7); });
            using var lease = BookLease.TryAcquire(temp.Workspace, new Book("Left Behind"), "20260101-090000-dead");

            var snapshot = new WorkspaceReader(temp.Workspace, WorkspaceStore.Open(temp.Workspace)).Read(DateTimeOffset.Now);

            Assert.Empty(snapshot.Books);
            var batch = Assert.Single(snapshot.Batches);
            Assert.False(batch.Running);
            Assert.True(batch.Interrupted);
        }

        [Fact]
        public void AJournalLineIsReadOnlyOnceItIsWholeAndATornOneIsSkipped()
        {
            using var temp = new TempWorkspace();
            var path = temp.Write("batches/20260101-100000-abcd.jsonl",
                "{\"event\":\"start\",\"time\":\"2026-01-01T10:00:00+00:00\"}\n{\"event\":\"plan\",\"ti\n{\"event\":\"plan\",\"index\":1,\"book\":\"A\",\"action\":\"Process\"}\n{\"event\":\"stage\",\"time\":\"2026-01-01T10:00:");
            var record = new BatchRecord("20260101-100000-abcd", path);
            Assert.True(record.ReadMore());
            Assert.Single(record.Books);
            Assert.Empty(record.Attempts);

            File.AppendAllText(path, "05+00:00\",\"book\":\"A\",\"stage\":\"s\",\"attempt\":1,\"result\":\"Succeeded\",\"started\":\"2026-01-01T10:00:01+00:00\"}\n");
            Assert.True(record.ReadMore());
            var attempt = Assert.Single(record.Attempts);
            Assert.Equal((TimeSpan.FromSeconds(4), "Succeeded"), (attempt.Ended!.Value - attempt.Started, attempt.Result));
            Assert.False(record.ReadMore());
        }

        [Fact]
        public void ReadingNeverHoldsALockABatchTakes()
        {
            using var temp = new TempWorkspace();
            using var batch = new RunningBatch(temp);
            var now = DateTimeOffset.Now;
            batch.Book("Running One", f => f.AttemptStarted("b", 1, batch.Id, now));
            var settings = PipelineSettings.Load(temp.Workspace.SettingsPath, temp.Workspace.Root);
            var b = settings.Stages.Single(s => s.Name == "b");
            using (StageSlot.TryTake(temp.Workspace, b)) { } // the place's lock file exists, as in a real workspace
            var reader = new WorkspaceReader(temp.Workspace, WorkspaceStore.Open(temp.Workspace));
            var reads = 0;
            var stop = false;
            var reading = new Thread(() => { while (!Volatile.Read(ref stop)) { reader.Read(DateTimeOffset.Now); reads++; } });
            reading.Start();
            var takes = 0;
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed < TimeSpan.FromSeconds(1.5) || reads < 20)
                {
                    // What a batch does while the dashboard reads: takes a place, a book, the workspace lock; none may be refused.
                    using (var place = StageSlot.TryTake(temp.Workspace, b)) Assert.NotNull(place);
                    using (var lease = BookLease.TryAcquire(temp.Workspace, new Book("Another"), "20260101-100000-bbbb")) Assert.NotNull(lease);
                    using (var held = WorkspaceLock.TryAcquire(temp.Workspace.LockPath)) Assert.NotNull(held);
                    takes++;
                }
            }
            finally
            {
                Volatile.Write(ref stop, true);
                reading.Join();
            }
            Assert.True(reads >= 20 && takes > 100, $"{reads} reads, {takes} takes");
        }

        [Fact]
        public void OnlyTheLatestBatchesAreKeptInDetailAndTheOthersCountInTheHistory()
        {
            using var temp = new TempWorkspace();
            temp.Write("bookbatch.json", Settings);
            var day = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 12; i++)
            {
                var id = $"202601{1 + i / 4:00}-10{i:00}00-x{i:000}";
                using var journal = BatchJournal.Create(temp.Workspace, id);
                journal.Write("start", w => { w.WriteString("host", "elsewhere"); });
                var outcome = i % 3 == 0 ? BookOutcome.Failed : BookOutcome.Success;
                journal.Result(new BookBatchResult(id, 1, "Bad Book", null, outcome, null, outcome == BookOutcome.Failed ? $"failure {i}" : null,
                    null, null, null, Array.Empty<string>(), day, day.AddMinutes(1)));
                journal.Write("end", w => w.WriteBoolean("interrupted", false));
            }
            var reader = new WorkspaceReader(temp.Workspace, WorkspaceStore.Open(temp.Workspace), detailedBatches: 3);

            var snapshot = reader.Read(DateTimeOffset.Now);

            Assert.Equal(3, snapshot.Batches.Count);
            Assert.Equal(3, reader.KeptInDetail);
            Assert.NotNull(snapshot.Batches[0].TimelineHtml); // the newest is drawn; the others, ended, have their counts and failures
            Assert.All(snapshot.Batches.Skip(1), b => Assert.Null(b.TimelineHtml));
            Assert.Equal(new[] { 0, 0, 1 }, snapshot.Batches.Select(b => b.Failures.Count)); // batches 11, 10, 9: 9 failed
            Assert.Equal(12, snapshot.History.Sum(d => d.Batches));
            Assert.Equal(8, snapshot.History.Sum(d => d.Published));
            var failing = Assert.Single(snapshot.FailingBooks);
            Assert.Equal(("Bad Book", 4, "failure 9"), (failing.Book, failing.Failures, failing.LastError));
        }

        [Fact]
        public void AFailuresLogTailEndsWithItsAttemptNotWithTheLaterOnes()
        {
            using var temp = new TempWorkspace();
            var path = temp.Write("runs/x/logs/tts.log", string.Join("\n",
                "=== 2026-01-01 10:00:00 +00:00 attempt 1 of stage 'tts' for 'A' started", "first try", "=== 2026-01-01 10:00:01 +00:00 finished with exit code 1",
                "=== 2026-01-01 10:00:02 +00:00 attempt 2 of stage 'tts' for 'A' started", "second try", "=== 2026-01-01 10:00:03 +00:00 finished with exit code 1",
                "=== 2026-01-02 10:00:00 +00:00 attempt 3 of stage 'tts' for 'A' started", "a later batch", "=== 2026-01-02 10:00:01 +00:00 finished with exit code 0", ""));

            Assert.Equal("second try\n=== 2026-01-01 10:00:03 +00:00 finished with exit code 1", LogTail.Read(path, attempt: 2, lines: 2));
            Assert.EndsWith("first try\n=== 2026-01-01 10:00:01 +00:00 finished with exit code 1", LogTail.Read(path, attempt: 1));
            Assert.EndsWith("finished with exit code 0", LogTail.Read(path, attempt: 3));
            Assert.Null(LogTail.Read(Path.Combine(temp.Workspace.Root, "none.log"), 1));
        }

        [Fact]
        public void AFileIsReadAgainOnlyWhenItChanged()
        {
            using var temp = new TempWorkspace();
            var path = temp.Write("x.txt", "one");
            var cache = new FileCache<string>();
            var reads = 0;
            string Read(string p) { reads++; return File.ReadAllText(p); }
            Assert.Equal("one", cache.Get(path, Read, "none"));
            Assert.Equal("one", cache.Get(path, Read, "none"));
            Assert.Equal(1, reads);
            File.AppendAllText(path, " two");
            Assert.Equal("one two", cache.Get(path, Read, "none"));
            Assert.Equal(2, reads);
            cache.Sweep();
            cache.Sweep(); // not asked for since the last sweep: dropped
            Assert.Equal(0, cache.Count);
        }

        [Fact]
        public void TitlesAreTextInTheTimelineTheReportAndTheDashboard()
        {
            using var temp = new TempWorkspace();
            using var batch = new RunningBatch(temp);
            const string evil = "<script>alert('x')</script> & <img src=x onerror=alert(1)>";
            batch.Book(evil, f => f.AttemptStarted("a", 1, batch.Id, DateTimeOffset.Now));
            var reader = new WorkspaceReader(temp.Workspace, WorkspaceStore.Open(temp.Workspace));
            var snapshot = reader.Read(DateTimeOffset.Now);
            var (view, timeline) = reader.ReadBatch(batch.Id, DateTimeOffset.Now)!.Value;

            foreach (var html in new[] { TimelineHtml.Render(timeline), ReportPage.Render(view, timeline, temp.Workspace.Root), DashboardHtml.Body(snapshot) })
            {
                Assert.DoesNotContain("<script", html);
                Assert.DoesNotContain("<img", html);
                Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;", html);
            }
        }
    }
}
