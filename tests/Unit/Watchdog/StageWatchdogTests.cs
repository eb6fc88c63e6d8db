using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Watchdog;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Watchdog
{
    /// <summary>
    /// The stage watchdog (docs/DECISIONS.md, "A stage whose host died"): a host killed alone has its stages ended and
    /// recorded gone, so the next batch runs them at once; a silent host's stages are ended, a beating host's are not.
    /// </summary>
    public sealed class StageWatchdogTests
    {
        [LinuxFact]
        public void AHostKilledAloneHasItsStageAndWhatItStartedEndedAndRecordedGoneAndTheNextBatchRunsItAtOnce()
        {
            using var batch = new BatchFixture();
            batch.SleepAt("render", 60); // the stage and a sleeper grandchild, both in pids-render
            using var child = batch.StartBatchProcess(batch.WriteBooks("Watched"));
            Assert.True(BatchFixture.WaitUntil(() => File.Exists(batch.Session.PathOf("pids-render")), 60), "the render did not start");
            Assert.True(BatchFixture.WaitUntil(() => StageWatchdogs.Of(child.Id).Count == 1, 10), "the host started no watchdog");

            child.Kill(); // SIGKILL, the host alone
            child.WaitForExit();
            batch.AssertProcessesGone("render", 1);
            var details = Directory.GetFiles(batch.Session.PathOf("runs"), RunDetailsLogName, SearchOption.AllDirectories).Single();
            Assert.True(BatchFixture.WaitUntil(() => RunFolder.ReadDetails(Path.GetDirectoryName(details)!)!.Stage("render").Attempts.Single().Gone, 10),
                "the watchdog recorded no gone line");

            File.Delete(batch.Session.PathOf("sleep-render"));
            var next = batch.Session.Run("'Watched' | Invoke-BookBatch").Succeeded().Objects<BookBatchResult>().Single();
            Assert.Equal(BookOutcome.Resumed, next.Outcome);
            Assert.Equal(2, batch.Runs("render"));
        }

        [LinuxFact]
        public void ASilentHostsStagesAreEndedAndRecordedGoneWhileABeatingHostsAreLeftAlone()
        {
            var folder = Directory.CreateTempSubdirectory("bookbatch-watchdog-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(folder, RunDetailsLogName),
                    "{\"event\":\"run\",\"title\":\"Silent\"}\n{\"event\":\"attempt\",\"stage\":\"render\",\"attempt\":1,\"batch\":\"b\",\"token\":\"attempt-1\"}\n");
                using var watched = Sleeper(folder, "host-token");
                using var other = Sleeper(folder, "another-host");
                var pipe = new LinePipe();
                var watchdog = new Thread(() => StageWatchdog.Run(pipe, "host-token", TimeSpan.FromMilliseconds(400))) { IsBackground = true };
                watchdog.Start();

                var beating = Stopwatch.StartNew();
                while (beating.Elapsed < TimeSpan.FromSeconds(1.5))
                {
                    pipe.Beat();
                    Thread.Sleep(100);
                }
                Assert.False(watched.HasExited, "a beating host's stage was ended");

                Assert.True(watched.WaitForExit(3000), "a silent host's stage was not ended");
                Assert.True(BatchFixture.WaitUntil(() => RunFolder.ReadDetails(folder)!.Stage("render").Attempts.Single().Gone, 5), "its attempt was not recorded gone");
                Assert.False(other.HasExited, "a stage of another host was ended");

                pipe.End();
                Assert.True(watchdog.Join(5000), "the watchdog did not end with its host's pipe");
                Assert.False(other.HasExited, "a stage of another host was ended");
                other.Kill();
            }
            finally { Directory.Delete(folder, recursive: true); }
        }

        [LinuxFact]
        public void AnAttemptWhoseProcessEndedJustBeforeItsHostIsRecordedGoneUnlessItsEndIsOnRecord()
        {
            var folder = Directory.CreateTempSubdirectory("bookbatch-watchdog-").FullName;
            try
            {
                // Three attempts told of: the first's host died before it wrote the end, the second's end is on record
                // though the host died before it said so, the third's end was said. None has a process left to end.
                File.WriteAllText(Path.Combine(folder, RunDetailsLogName),
                    "{\"event\":\"run\",\"title\":\"Told\"}\n" +
                    "{\"event\":\"attempt\",\"stage\":\"render\",\"attempt\":1,\"batch\":\"b\",\"token\":\"t1\"}\n" +
                    "{\"event\":\"attempt\",\"stage\":\"upload\",\"attempt\":1,\"batch\":\"b\",\"token\":\"t2\"}\n" +
                    "{\"event\":\"ended\",\"seq\":1,\"stage\":\"upload\",\"attempt\":1,\"ended\":\"2026-12-06T10:00:00+00:00\",\"result\":\"Success\"}\n" +
                    "{\"event\":\"attempt\",\"stage\":\"shorts\",\"attempt\":1,\"batch\":\"b\",\"token\":\"t3\"}\n");
                var pipe = new LinePipe();
                foreach (var (stage, token) in new[] { ("render", "t1"), ("upload", "t2"), ("shorts", "t3") })
                    pipe.Say(string.Join("\t", StageWatchdog.WatchLine, folder, stage, "1", token));
                pipe.Say(StageWatchdog.RecordedLine + "\tt3");

                pipe.End(); // the host died
                Assert.Equal(0, StageWatchdog.Run(pipe, "host-token", null));

                var details = RunFolder.ReadDetails(folder)!;
                Assert.True(details.Stage("render").Attempts.Single().Gone, "an attempt without its end on record was not recorded gone");
                Assert.False(details.Stage("upload").Attempts.Single().Gone, "an attempt whose end is on record was recorded gone");
                Assert.False(details.Stage("shorts").Attempts.Single().Gone, "an attempt said recorded was recorded gone");
            }
            finally { Directory.Delete(folder, recursive: true); }
        }

        private const string RunDetailsLogName = "bookbatch-run.jsonl";

        // A stage process of attempt 1 of render in the run folder, carrying a host's watch token.
        private static Process Sleeper(string folder, string hostToken)
        {
            var start = new ProcessStartInfo("sleep", "60") { UseShellExecute = false };
            start.Environment[ProcessIdentity.WatchTokenVariable] = hostToken;
            start.Environment[ProcessIdentity.TokenVariable] = "attempt-1";
            start.Environment["BOOKBATCH_RUN_FOLDER"] = folder;
            start.Environment["BOOKBATCH_STAGE"] = "render";
            start.Environment["BOOKBATCH_ATTEMPT"] = "1";
            return Process.Start(start)!;
        }

        // The host's side of the pipe: a heartbeat is a line, the end is the end of the input.
        private sealed class LinePipe : TextReader
        {
            private readonly BlockingCollection<string> _lines = new();

            public void Beat() => _lines.Add(string.Empty);
            public void Say(string line) => _lines.Add(line);
            public void End() => _lines.CompleteAdding();

            public override string? ReadLine()
            {
                try { return _lines.Take(); }
                catch (InvalidOperationException) { return null; } // completed
            }
        }
    }
}
