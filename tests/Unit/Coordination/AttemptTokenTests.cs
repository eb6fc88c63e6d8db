using System;
using System.Diagnostics;
using System.IO;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Coordination
{
    /// <summary>
    /// An attempt's token (BOOKBATCH_ATTEMPT_TOKEN), written before its process starts: a host that dies before it can
    /// record the process's id leaves the token, by which the process is found while it runs.
    /// </summary>
    public class AttemptTokenTests
    {
        // A process of this test program that sleeps with the token in its environment.
        // What a failure needs to be understood: whether the process still ran, and whether /proc showed its token.
        private static string Why(Process sleeper, string token)
        {
            string environ;
            try { environ = File.ReadAllText($"/proc/{sleeper.Id}/environ").Contains(token, StringComparison.Ordinal) ? "has the token" : "lacks the token"; }
            catch (IOException e) { environ = "unreadable: " + e.Message; }
            return $"process {sleeper.Id} exited {sleeper.HasExited}; its environ {environ}; found by the token now: {ProcessIdentity.FindByToken(token)?.Pid.ToString() ?? "no"}";
        }

        private static Process Sleeper(string token)
        {
            var start = new ProcessStartInfo("dotnet") { ArgumentList = { typeof(AttemptTokenTests).Assembly.Location, "sleeper", "30" }, UseShellExecute = false };
            start.Environment[ProcessIdentity.TokenVariable] = token;
            return Process.Start(start)!;
        }

        [LinuxFact]
        public void AProcessIsFoundByTheTokenInItsEnvironmentWhileItRuns()
        {
            var token = Guid.NewGuid().ToString("N");
            using var sleeper = Sleeper(token);
            try
            {
                var found = ProcessIdentity.FindByToken(token);
                Assert.Equal(sleeper.Id, found?.Pid);
                Assert.Null(ProcessIdentity.FindByToken(Guid.NewGuid().ToString("N")));
                Assert.Null(ProcessIdentity.FindByToken(token.Substring(0, 16))); // the whole value, not a part of it
            }
            finally
            {
                sleeper.Kill();
                sleeper.WaitForExit();
            }
            Assert.Null(ProcessIdentity.FindByToken(token));
        }

        // A start time is computed from the system clock: a clock set by seconds between the record and the look (NTP
        // stepping a VM's clock) must not make a running process look gone, nor another process with its id look alive.
        [LinuxFact]
        public void ARecordedProcessIsKnownByItsBootTicksWhateverTheClockSaysItsStartWas()
        {
            using var sleeper = Sleeper(Guid.NewGuid().ToString("N"));
            try
            {
                var seen = ProcessIdentity.Of(sleeper)!.Value;
                Assert.NotNull(seen.BootTicks);
                var clockSet = new ProcessIdentity(seen.Pid, seen.Started.AddSeconds(30), seen.BootTicks);
                var otherProcess = new ProcessIdentity(seen.Pid, seen.Started, seen.BootTicks + 1);
                var olderRecord = new ProcessIdentity(seen.Pid, seen.Started.AddSeconds(30));

                Assert.True(clockSet.IsAlive());
                Assert.False(otherProcess.IsAlive());
                Assert.False(olderRecord.IsAlive()); // without the ticks, only the time tells: 30 s off is another process
                Assert.True(new ProcessIdentity(seen.Pid, seen.Started).IsAlive());

                // The ticks go through the records: a run folder's details and a stage place's file.
                var root = Path.Combine(Path.GetTempPath(), "bookbatch-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
                Directory.CreateDirectory(root);
                try
                {
                    File.WriteAllText(Path.Combine(root, "bookbatch.json"), "{\"requireUrl\": false, \"stages\": [{\"name\": \"render\", \"command\": \"true\", \"concurrency\": 1}]}");
                    var workspace = new Workspace(root);
                    var stage = PipelineSettings.Load(workspace.SettingsPath, root).Stages[0];
                    using (var folder = BookBatch.Engine.Runs.RunFolder.Create(workspace, new BookBatch.Engine.Books.Book("Ticks"), new[] { "render" }, DateTime.Now))
                    {
                        folder.AttemptStarted("render", 1, "batch", DateTimeOffset.Now, clockSet);
                        var reread = BookBatch.Engine.Runs.RunFolder.ReadDetails(folder.FullPath)!.Stage("render").Attempts[0];
                        Assert.Equal(seen.BootTicks, reread.ProcessTicks);
                        Assert.Equal(clockSet.Pid, reread.RunningProcess()?.Pid);
                    }
                    // A place's file names the ticks too; one a dead holder left stays taken while the process runs.
                    var note = workspace.StageSlotPath("render", 0);
                    string written;
                    using (var held = StageSlot.TryTake(workspace, stage)!)
                    {
                        held.Record(clockSet);
                        // .NET's own open of a file another handle holds locked is refused: read it as another program would.
                        using var cat = Process.Start(new ProcessStartInfo("cat") { ArgumentList = { note }, RedirectStandardOutput = true, UseShellExecute = false })!;
                        written = cat.StandardOutput.ReadToEnd();
                        cat.WaitForExit();
                    }
                    Assert.Equal($"{clockSet.Pid} {clockSet.Started.UtcTicks} {clockSet.BootTicks}", written);
                    File.WriteAllText(note, written);
                    Assert.Null(StageSlot.TryTake(workspace, stage));
                }
                finally
                {
                    Directory.Delete(root, recursive: true);
                }
            }
            finally
            {
                sleeper.Kill();
                sleeper.WaitForExit();
            }
        }

        [LinuxFact]
        public void AStagePlaceWhoseHolderDiedBeforeNamingItsProcessStaysTakenWhileTheTokensProcessRuns()
        {
            var root = Path.Combine(Path.GetTempPath(), "bookbatch-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, "bookbatch.json"), "{\"requireUrl\": false, \"stages\": [{\"name\": \"render\", \"command\": \"true\", \"concurrency\": 1}]}");
            var workspace = new Workspace(root);
            var stage = PipelineSettings.Load(workspace.SettingsPath, root).Stages[0];
            var token = Guid.NewGuid().ToString("N");
            using var sleeper = Sleeper(token);
            try
            {
                // A holder names the token in its place's file, then dies: its lock goes with it, the note stays (a
                // holder that lives empties it when it gives the place back, as Dispose does here).
                using (var first = StageSlot.TryTake(workspace, stage)!) first.Expect(new StageAttemptMark(token, "run", 1));
                File.WriteAllText(workspace.StageSlotPath("render", 0), "token " + token);

                using (var taken = StageSlot.TryTake(workspace, stage))
                    Assert.True(taken is null, "the place was taken while the token's process ran: " + Why(sleeper, token)); // seen once in CI
                sleeper.Kill();
                sleeper.WaitForExit();
                using var free = StageSlot.TryTake(workspace, stage);
                Assert.NotNull(free);
            }
            finally
            {
                if (!sleeper.HasExited) sleeper.Kill();
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
