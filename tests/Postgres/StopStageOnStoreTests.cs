using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Stages;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Stop-BookStage on a PostgreSQL store, in real pwsh processes: the upload a batch left running on this server when
    /// its host and its stage watchdog were killed together is ended, its attempt recorded cut off, and the book waits for
    /// review instead of uploading again; a book a live batch holds is left alone.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class StopStageOnStoreTests
    {
        private readonly PostgresServer _server;

        public StopStageOnStoreTests(PostgresServer server) => _server = server;

        [Fact]
        public void TheUploadAKilledBatchLeftRunningHereIsEndedAndTheBookWaitsForReviewInsteadOfUploadingAgain()
        {
            if (!OperatingSystem.IsLinux()) return; // a killed host's stages run on as orphans on Linux
            using var session = ReadySession();
            var batch = session.Start("'Left Behind' | Invoke-BookBatch -Confirm:$false | Select-Object Title, Outcome");
            var (folder, process) = WaitForLiveUpload(session, batch);
            StageWatchdogs.KillWithHost(batch);
            batch.WaitForExit();
            batch.Dispose();
            Assert.True(process.IsAlive(), "the upload ended with its host: nothing was left to stop");
            Assert.Equal("InProgress", Ok(session.Run("Get-BookStatus -Title 'Left Behind' | ForEach-Object { $_.Action.ToString() }")).GetString());

            var stopped = session.Run("Stop-BookStage 'Left Behind' -Confirm:$false -PassThru -WarningAction SilentlyContinue");

            Assert.Equal("Review", Ok(stopped).GetProperty("Action").ToString());
            Assert.False(process.IsAlive(), $"process {process.Pid} still runs");
            var attempt = RunFolder.ReadDetails(folder)!.Stage("upload").Attempts.Single();
            Assert.Equal(("Canceled", true), (attempt.Result, attempt.Error?.StartsWith("cut off", StringComparison.Ordinal)));
            // Listed so, and the next batch does not upload it again.
            Assert.Equal("Review", Ok(session.Run("Get-BookStatus -Title 'Left Behind' | ForEach-Object { $_.Action.ToString() }")).GetString());
            File.Delete(session.PathOf("hold"));
            var next = Ok(session.Run("'Left Behind' | Invoke-BookBatch -Confirm:$false | Select-Object Title, Outcome, Reason"));
            Assert.Equal("Skipped", next.GetProperty("Outcome").ToString());
            Assert.StartsWith("needs review:", next.GetProperty("Reason").GetString());
            Assert.Empty(Uploads(session));
        }

        [Fact]
        public void ABookALiveBatchHoldsIsLeftAlone()
        {
            using var session = ReadySession();
            var batch = session.Start("'Still Running' | Invoke-BookBatch -Confirm:$false | Select-Object Title, Outcome");
            try
            {
                var (_, process) = WaitForLiveUpload(session, batch);

                var refused = session.Run("Stop-BookStage 'Still Running' -Confirm:$false");

                Assert.False(refused.GetProperty("ok").GetBoolean(), refused.ToString());
                Assert.Equal("BookInProgress,BookBatch.Commands.StopBookStageCommand", refused.GetProperty("id").GetString());
                Assert.Contains("is in progress in another batch", refused.GetProperty("message").GetString());
                Assert.True(process.IsAlive(), "the live batch's upload was ended");
            }
            finally
            {
                if (!batch.HasExited) batch.Kill(entireProcessTree: true);
                batch.WaitForExit();
                batch.Dispose();
            }
        }

        // The run folder and process of the batch's upload once its attempt records the process.
        private static (string Folder, ProcessIdentity Process) WaitForLiveUpload(StoreSession session, Process batch)
        {
            (string, ProcessIdentity)? live = null;
            var runs = session.PathOf("runs");
            SpinWait.SpinUntil(() =>
            {
                foreach (var folder in Directory.Exists(runs) ? Directory.GetDirectories(runs) : Array.Empty<string>())
                    if (RunFolder.ReadDetails(folder)?.LiveAttempt() is var (_, _, process)) live = (folder, process);
                if (live is null) Thread.Sleep(100);
                return live != null || batch.HasExited;
            }, TimeSpan.FromSeconds(60));
            Assert.True(live != null, "the batch's upload did not start: " + (batch.HasExited ? batch.StandardError.ReadToEnd() : "still waiting"));
            return live!.Value;
        }

        // A workspace on a new database with its schema made and one stage, upload (publishing, no verify), held while the
        // file hold exists, then logging its title to uploads.log.
        private StoreSession ReadySession()
        {
            var session = new StoreSession(_server, _server.NewDatabase());
            var path = session.PathOf("bookbatch.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            settings["delaySeconds"] = 0;
            settings["requireUrl"] = false;
            File.WriteAllText(session.PathOf("hold"), "");
            var stage = $"while [ -f '{session.PathOf("hold")}' ]; do sleep 0.1; done; printf '%s\\n' \"$BOOKBATCH_TITLE\" >> '{session.PathOf("uploads.log")}'";
            settings["stages"] = JsonNode.Parse(JsonSerializer.Serialize(new[] { new { name = "upload", command = "sh", arguments = new[] { "-c", stage } } }));
            File.WriteAllText(path, settings.ToJsonString());
            Ok(session.Run("Update-BookBatchStore -Confirm:$false"));
            session.Run("Add-Book -Title 'Left Behind' -Confirm:$false");
            return session;
        }

        private static string[] Uploads(StoreSession session) =>
            File.Exists(session.PathOf("uploads.log")) ? File.ReadAllLines(session.PathOf("uploads.log")).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

        private static JsonElement Ok(JsonElement outcome)
        {
            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            return outcome.GetProperty("result");
        }
    }
}
