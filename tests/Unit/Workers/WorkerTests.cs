using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Workers;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Workers
{
    /// <summary>
    /// Start-BookBatchWorker as an operator runs it: it takes the books owed (added with Add-Book, or left unfinished),
    /// leaves a paused queue alone, lists itself while it runs, and drains on SIGTERM — running stages end within the
    /// grace time or are ended and recorded as interrupted. Stages are real processes that sleep and log their runs.
    /// </summary>
    public sealed class WorkerTests : IDisposable
    {
        private readonly PowerShellSession _session = new();

        public WorkerTests() => Settings(sleepSeconds: 0);

        public void Dispose() => _session.Dispose();

        [Fact]
        public void AWorkerRunsTheBooksOwedAndLeavesDoneAndReviewBooksAlone()
        {
            _session.Run("'One', 'Two', 'Three', 'Done Already', 'In Review' | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Out-Null").Succeeded();
            _session.Run("Complete-Book 'Done Already' -YouTubeUrl 'https://www.youtube.com/watch?v=abcdefghijk' -Confirm:$false").Succeeded();
            MarkForReview("In Review");

            var results = _session.Run("Start-BookBatchWorker -StopWhenIdle -PollSeconds 1").Succeeded().Objects<BookBatchResult>().ToList();

            Assert.Equal(new[] { "One", "Three", "Two" }, results.Select(r => r.Title).OrderBy(t => t));
            Assert.All(results, r => Assert.Equal(BookOutcome.Resumed, r.Outcome));
            Assert.Equal(new[] { "One", "Three", "Two" }, Runs().OrderBy(t => t));
            Assert.Empty(_session.Run("Start-BookBatchWorker -StopWhenIdle -PollSeconds 1").Succeeded().Output); // nothing owed any more
            Assert.Equal(3, Runs().Length);
        }

        [Fact]
        public void TwoWorkersSharingTheQueueEachReportOnlyTheBooksTheyRan()
        {
            Settings(sleepSeconds: 0.5);
            var titles = Enumerable.Range(1, 6).Select(i => "Shared " + i).ToArray();
            _session.Run(string.Join(", ", titles.Select(t => $"'{t}'")) + " | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Out-Null").Succeeded();

            const string Report = "-StopWhenIdle -PollSeconds 1 | ForEach-Object { 'RESULT ' + $_.Title + '=' + $_.Outcome }";
            using var first = StartWorker(Report);
            using var second = StartWorker(Report);
            foreach (var worker in new[] { first, second })
                Assert.True(worker.Process.WaitForExit(120_000), "a worker did not stop when idle: " + Log(worker));

            var reported = new[] { first, second }.SelectMany(w => Log(w).Split('\n')).Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                .Select(l => l.Substring(7).Trim()).OrderBy(l => l, StringComparer.Ordinal).ToArray();
            Assert.Equal(titles.Select(t => t + "=Resumed"), reported); // one result a book, from the worker that ran it
            Assert.Equal(titles, Runs().OrderBy(t => t, StringComparer.Ordinal));
        }

        [Fact]
        public void ABookThatFailedIsNotTakenAgainAtOnce()
        {
            Settings(sleepSeconds: 0, exitCode: 1);
            _session.Run("Add-Book -Title 'Always Fails' -Confirm:$false | Out-Null").Succeeded();

            var results = _session.Run("Start-BookBatchWorker -StopWhenIdle -PollSeconds 1 -ErrorAction SilentlyContinue").Objects<BookBatchResult>().ToList();

            Assert.Equal(BookOutcome.Failed, results.Single().Outcome); // one round, then it waits its back-off: nothing else is owed
            Assert.Single(Started());
        }

        [Fact]
        public void ABookAddedWhileARoundRunsStartsWithinSecondsNotAtTheNextRound()
        {
            Settings(sleepSeconds: 8);
            _session.Run("Add-Book -Title 'Long One' -Confirm:$false | Out-Null").Succeeded();
            using var worker = StartWorker("-PollSeconds 30");
            Assert.True(WaitUntil(() => Started().Length == 1, 60), "no stage started: " + Log(worker));

            _session.Run("Add-Book -Title 'Added Later' -Confirm:$false | Out-Null").Succeeded();

            Assert.True(WaitUntil(() => Started().Length == 2, 20), "the book added was not started: " + Log(worker));
            Assert.Empty(Runs()); // while the round's first book still ran
            Assert.Equal(new[] { "Long One", "Added Later" }, Started());
            Assert.True(WaitUntil(() => Runs().Length == 2, 30), "the books did not finish: " + Log(worker));
            Stop(worker, "TERM");
            var status = _session.Run("Get-BookStatus | ForEach-Object { \"$($_.Title)=$($_.Status)\" }").Succeeded().Output.Select(o => o.ToString());
            Assert.Equal(new[] { "Long One=Done", "Added Later=Done" }, status);
        }

        [Fact]
        public void AWorkerIsListedWithTheBooksItHasInFlight()
        {
            Settings(sleepSeconds: 10);
            _session.Run("Add-Book -Title 'First' -Confirm:$false | Out-Null").Succeeded();
            using var worker = StartWorker("-PollSeconds 1");
            Assert.True(WaitUntil(() => Started().Length == 1, 60), "the book did not start: " + Log(worker));
            _session.Run("Add-Book -Title 'Second' -Confirm:$false | Out-Null").Succeeded(); // taken into the round that runs
            Assert.True(WaitUntil(() => Started().Length == 2, 20), "the book added did not start: " + Log(worker));

            int Listed() => _session.Run("Get-BookBatchWorker").Succeeded().Objects<WorkerStatus>().Single().Books;
            Assert.True(WaitUntil(() => Listed() == 2, 8), $"the worker was listed with {Listed()} books, not the 2 it runs");
            Stop(worker, "TERM");
        }

        [Fact]
        public void APausedQueueStartsNothingUntilItIsResumed()
        {
            _session.Run("Add-Book -Title 'Waiting' -Confirm:$false | Out-Null").Succeeded();
            var paused = _session.Run("Suspend-BookBatchQueue -PassThru").Succeeded().Objects<BookBatchQueueState>().Single();
            Assert.True(paused.Paused);

            using var worker = StartWorker("-PollSeconds 1");
            Assert.True(WaitUntil(() => Log(worker).Contains("the queue is paused"), 30), "the worker did not say the queue is paused: " + Log(worker));
            Thread.Sleep(1500);
            Assert.Empty(Runs());
            var listed = _session.Run("Get-BookBatchWorker").Succeeded().Objects<WorkerStatus>().Single();
            Assert.Equal((worker.Id, WorkerActivity.Paused), (listed.ProcessId, listed.Activity));
            var dashboard = _session.Run("Start-BookBatchDashboard").Succeeded().Objects<BookBatch.Engine.Dashboard.BookBatchDashboard>().Single();
            try
            {
                using var http = new System.Net.Http.HttpClient();
                using var response = http.Send(new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, dashboard.Url + "snapshot.json"));
                var snapshot = JsonDocument.Parse(response.Content.ReadAsStream()).RootElement;
                var shown = snapshot.GetProperty("Workers").EnumerateArray().Single();
                Assert.Equal((worker.Id, (long)WorkerActivity.Paused), (shown.GetProperty("ProcessId").GetInt32(), shown.GetProperty("Activity").GetInt64()));
                Assert.Equal(JsonValueKind.String, snapshot.GetProperty("QueuePausedSince").ValueKind);
            }
            finally { dashboard.Stop(); }

            Assert.False(_session.Run("Resume-BookBatchQueue -PassThru").Succeeded().Objects<BookBatchQueueState>().Single().Paused);
            Assert.True(WaitUntil(() => Runs().Length == 1, 30), "the worker did not take the book once the queue was resumed");
            Stop(worker, "TERM");
            Assert.Empty(_session.Run("Get-BookBatchWorker").Succeeded().Output);
        }

        [Fact]
        public void APauseDuringARoundLetsTheBookBegunFinishAndBeginsNoOther()
        {
            Settings(sleepSeconds: 3);
            _session.Run("'Begun', 'Next', 'Last' | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Out-Null").Succeeded();
            using var worker = StartWorker("-ThrottleLimit 1 -PollSeconds 1");
            Assert.True(WaitUntil(() => Started().Length == 1, 60), "no stage started: " + Log(worker));

            _session.Run("Suspend-BookBatchQueue").Succeeded();
            Assert.True(WaitUntil(() => Log(worker).Contains("the queue is paused"), 30), "the worker did not pause: " + Log(worker));

            Assert.Equal(new[] { "Begun" }, Runs());
            Assert.Equal(new[] { "Begun" }, Started());
            Stop(worker, "TERM");
            var status = _session.Run("Get-BookStatus | ForEach-Object { \"$($_.Title)=$($_.Status)\" }").Succeeded().Output.Select(o => o.ToString());
            Assert.Equal(new[] { "Begun=Done", "Next=Processing", "Last=Processing" }, status);
        }

        [UnixFact]
        public void SigtermDrainsTheWorkerLettingARunningStageEndWithinItsGrace()
        {
            Settings(sleepSeconds: 3);
            _session.Run("'First', 'Second' | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Out-Null").Succeeded();
            using var worker = StartWorker("-ThrottleLimit 1 -GraceSeconds 30");
            Assert.True(WaitUntil(() => Started().Length == 1, 60), "no stage started: " + Log(worker));

            Stop(worker, "TERM");

            Assert.Equal(new[] { "First" }, Runs()); // it ended within its grace; Second never started
            Assert.Single(Started());
            var status = _session.Run("Get-BookStatus | ForEach-Object { \"$($_.Title)=$($_.Status)\" }").Succeeded().Output.Select(o => o.ToString());
            Assert.Equal(new[] { "First=Done", "Second=Processing" }, status);
            Assert.Contains("stopping: no book or stage starts any more", Log(worker));
        }

        [UnixFact]
        public void AStageThatOutlivesTheGraceIsEndedAndRecordedAsInterrupted()
        {
            Settings(sleepSeconds: 60);
            _session.Run("Add-Book -Title 'Long Render' -Confirm:$false | Out-Null").Succeeded();
            using var worker = StartWorker("-GraceSeconds 1");
            Assert.True(WaitUntil(() => Started().Length == 1, 60), "the stage did not start: " + Log(worker));

            var stopped = Stopwatch.StartNew();
            Stop(worker, "TERM");

            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(20), $"the worker took {stopped.Elapsed} to stop");
            Assert.Empty(Runs());
            var run = _session.Run("Get-BookRun 'Long Render'").Succeeded().Objects<BookBatch.Engine.Runs.BookRun>().Single();
            Assert.Equal(BookBatch.Engine.Runs.StageState.Interrupted, run.Stages.Single().State);
        }

        // One stage that sleeps, logging its start (started.log) and its end (runs.log) with the book's title.
        private void Settings(double sleepSeconds, int exitCode = 0)
        {
            var script = $"printf '%s\\n' \"$BOOKBATCH_TITLE\" >> started.log; sleep {sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; " +
                         $"printf '%s\\n' \"$BOOKBATCH_TITLE\" >> runs.log; exit {exitCode}";
            File.WriteAllText(_session.PathOf("bookbatch.json"), JsonSerializer.Serialize(new
            {
                delaySeconds = 0, throttleLimit = 2, requireUrl = false,
                stages = new[] { new { name = "render", command = "sh", arguments = new[] { "-c", $"cd '{_session.Folder}' && {script}" } } },
            }));
        }

        private void MarkForReview(string title)
        {
            var path = _session.PathOf("database.json");
            var text = File.ReadAllText(path);
            var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
            foreach (var entry in node["books"]!.AsArray())
                if (entry?["main_title"]?.GetValue<string>() == title) entry["review"] = "render";
            File.WriteAllText(path, node.ToJsonString());
        }

        private string[] Runs() => Lines("runs.log");
        private string[] Started() => Lines("started.log");
        private string[] Lines(string name) => File.Exists(_session.PathOf(name)) ? File.ReadAllLines(_session.PathOf(name)).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

        private sealed class Worker : IDisposable
        {
            public Worker(Process process)
            {
                Process = process;
                process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
                process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (Output) Output.AppendLine(e.Data); };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            public Process Process { get; }
            public System.Text.StringBuilder Output { get; } = new();
            public int Id => Process.Id;

            public void Dispose()
            {
                if (!Process.HasExited) Process.Kill(entireProcessTree: true);
                Process.Dispose();
            }
        }

        private Worker StartWorker(string parameters) =>
            new(Pwsh.Start(_session.Folder, ownGroup: true, "-NoProfile", "-NonInteractive", "-Command", "Start-BookBatchWorker " + parameters));

        private static string Log(Worker worker)
        {
            lock (worker.Output) return worker.Output.ToString();
        }

        private static void Stop(Worker worker, string signal)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, worker.Id.ToString() } })!) kill.WaitForExit();
            Assert.True(worker.Process.WaitForExit(60_000), "the worker did not end on SIG" + signal + ": " + Log(worker));
        }

        private static bool WaitUntil(Func<bool> condition, double seconds) => SpinWait.SpinUntil(() =>
        {
            if (condition()) return true;
            Thread.Sleep(100);
            return false;
        }, TimeSpan.FromSeconds(seconds));
    }
}
