using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Operator
{
    /// <summary>What an operator meets in a real pwsh: Ctrl+C in a terminal, and a scheduled task's exit code.</summary>
    public class RealConsoleTests
    {
        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        private const int SigInt = 2;

        private static string Run(Process host, double seconds = 90)
        {
            var output = host.StandardOutput.ReadToEndAsync();
            var errors = host.StandardError.ReadToEndAsync();
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(seconds)), "pwsh did not end");
            return output.Result + errors.Result;
        }

        [InterruptibleFact]
        public void CtrlCInATerminalRecordsTheRunningStageAsInterruptedNotFailedAndShowsTheSummary()
        {
            using var batch = new BatchFixture();
            // render is a plain `sleep`: it dies of the SIGINT at once, before PowerShell has begun to stop the pipeline.
            File.WriteAllText(batch.Session.PathOf("bookbatch.json"), "{\"delaySeconds\": 0, \"stages\": [" +
                "{\"name\": \"search\", \"command\": \"sleep\", \"arguments\": [\"0\"]}, {\"name\": \"render\", \"command\": \"sleep\", \"arguments\": [\"30\"]}]}");
            var script = $"Import-Module BookBatch -ErrorAction Stop; 'One' | Invoke-BookBatch -Workspace '{batch.Workspace}' -Confirm:$false | Out-Null";
            // Ctrl+C in a terminal: SIGINT to the foreground process group, the host and its stage alike.
            using var host = Pwsh.Start(batch.Workspace, ownGroup: true, "-NoProfile", "-NonInteractive", "-Command", script);
            Assert.True(BatchFixture.WaitUntil(() => Directory.Exists(batch.Session.PathOf("runs")) &&
                Directory.GetDirectories(batch.Session.PathOf("runs")).Any(f => File.Exists(Path.Combine(f, "bookbatch-run.jsonl")) &&
                    File.ReadAllText(Path.Combine(f, "bookbatch-run.jsonl")).Contains("\"render\"")), 60), "render never started");
            System.Threading.Thread.Sleep(500);
            Assert.Equal(0, kill(-host.Id, SigInt));
            var screen = Run(host);

            var runFolder = Directory.GetDirectories(batch.Session.PathOf("runs")).Single();
            Assert.NotEqual("failed", batch.Summary(Path.GetFileName(runFolder)).Single(s => s.Stage == "render").State);
            var database = File.ReadAllText(batch.Session.PathOf("database.json"));
            Assert.DoesNotContain("exit code", database);
            var ended = File.ReadAllLines(Path.Combine(runFolder, "bookbatch-run.jsonl")).Last(l => l.Contains("\"ended\"") && l.Contains("render"));
            Assert.DoesNotContain("\"failed\"", ended);
            Assert.True(screen.Contains("Interrupted: the running stages were stopped"), screen);
            Assert.Contains("Interrupted (1):", screen);
            Assert.Matches(@"Skipped\s+1\s+100%", screen);
        }

        [Fact]
        public void RedirectedOutputKeepsTheReasonsWhole()
        {
            using var batch = new BatchFixture();
            batch.FailAt("tts");
            var script = $"Import-Module BookBatch -ErrorAction Stop; 'A Title Long Enough To Leave The Details Column Little Room | Its Author' | " +
                         $"Invoke-BookBatch -Workspace '{batch.Workspace}' -Confirm:$false -InformationAction Ignore -ErrorAction SilentlyContinue; Get-BookStatus -Workspace '{batch.Workspace}'";
            using var host = Pwsh.Start(batch.Workspace, ownGroup: false, "-NoProfile", "-NonInteractive", "-Command", script);
            var log = System.Text.RegularExpressions.Regex.Replace(Run(host), @"\s+", " ");
            // The result's table and the status's table: each reason whole (wrapped at the log's width, never cut with "…").
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(log, "stage 'tts' failed: exit code 3").Count);
            Assert.DoesNotContain("…", log);
        }

        [Theory]
        [InlineData(false, 0)]
        [InlineData(true, 1)]
        public void TheReadmesScheduledTaskScriptExitsNonZeroWhenABookFailed(bool fail, int exitCode)
        {
            using var batch = new BatchFixture();
            batch.WriteBooks("One", "Two");
            if (fail) batch.FailAt("tts");
            var recipe = Path.Combine(ModuleAssembly.RepositoryRoot, "examples", "run-batch.ps1");
            Assert.Contains(File.ReadAllText(recipe).Trim(), File.ReadAllText(Path.Combine(ModuleAssembly.RepositoryRoot, "README.md")).Replace("\r\n", "\n"));
            using var task = Pwsh.Start(batch.Workspace, ownGroup: false, ("BOOKBATCH_WORKSPACE", batch.Workspace), "-NoProfile", "-NonInteractive", "-File", recipe);
            var screen = Run(task, 120);
            Assert.True(exitCode == task.ExitCode, $"exit code {task.ExitCode}, expected {exitCode}: {screen}");
            var summary = File.ReadAllText(batch.Session.PathOf("last-summary.txt"));
            Assert.Contains(fail ? "Failed books:" : "Success", summary);
        }
    }
}
