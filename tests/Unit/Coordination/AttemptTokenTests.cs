using System;
using System.Diagnostics;
using System.IO;
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
                using (var first = StageSlot.TryTake(workspace, stage)!) first.Expect(token);
                File.WriteAllText(Path.Combine(StageSlot.FolderOf(workspace), "render.slot0.lock"), "token " + token);

                Assert.Null(StageSlot.TryTake(workspace, stage));
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
