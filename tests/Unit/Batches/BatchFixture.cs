using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Tests.Hosting;

namespace BookBatch.Tests.Batches
{
    /// <summary>
    /// A session whose workspace has a bookbatch.json of seven stages, each the test assembly's own stage program
    /// (see Program.cs): cross-platform, and it records every run.
    /// </summary>
    public sealed class BatchFixture : IDisposable
    {
        public static readonly string[] StageNames = { "search", "transcribe", "process", "tts", "render", "upload", "shorts" };

        public BatchFixture(double timeoutSeconds = 60, int retries = 0, double retryDelaySeconds = 0.05, string? extraSettings = null,
            Func<string, string?>? stageExtra = null)
        {
            Session = new PowerShellSession();
            WriteSettings(timeoutSeconds, retries, retryDelaySeconds, extraSettings, stageExtra);
        }

        public PowerShellSession Session { get; }

        public string Workspace => Session.Folder;

        public void WriteSettings(double timeoutSeconds, int retries, double retryDelaySeconds, string? extraSettings = null,
            Func<string, string?>? stageExtra = null)
        {
            var assembly = typeof(BatchFixture).Assembly.Location;
            var stages = StageNames.Select(name => new Dictionary<string, object>
            {
                ["name"] = name,
                ["command"] = "dotnet",
                ["arguments"] = new[] { assembly, "stage", "{title}", "{author}", "{stage}" },
                ["timeoutSeconds"] = timeoutSeconds,
                ["retries"] = retries,
                ["retryDelaySeconds"] = retryDelaySeconds,
            });
            var stageJson = stages.Select(stage =>
            {
                var text = JsonSerializer.Serialize(stage);
                var extra = stageExtra?.Invoke((string)stage["name"]);
                return extra is null ? text : text.TrimEnd('}') + "," + extra + "}";
            });
            var json = "{\"privacy\": \"unlisted\", \"delaySeconds\": 0, \"stages\": [" + string.Join(",\n", stageJson) + "]}";
            if (extraSettings != null) json = json.TrimEnd().TrimEnd('}') + "," + extraSettings + "}";
            File.WriteAllText(Session.PathOf("bookbatch.json"), json);
        }

        // The stages append under an exclusive lock: a read waits for the writer.
        private static string[] ReadLines(string path)
        {
            for (var i = 0; ; i++)
            {
                try { return File.ReadAllLines(path); }
                catch (IOException) when (i < 200) { System.Threading.Thread.Sleep(10); }
            }
        }

        /// <summary>Every stage run so far, in order.</summary>
        public List<StageRun> StageRuns()
        {
            var path = Session.PathOf("stage-runs.log");
            if (!File.Exists(path)) return new List<StageRun>();
            return ReadLines(path).Select(l => l.Split('\t'))
                .Select(p => new StageRun(p[0], p[1], p[2], int.Parse(p[3]), p[4], p.Skip(5).ToArray())).ToList();
        }

        /// <summary>Every stage run's interval, from intervals.log.</summary>
        public List<(string Stage, string Title, DateTime Start, DateTime End, bool Deferred)> Intervals()
        {
            var path = Session.PathOf("intervals.log");
            if (!File.Exists(path)) return new();
            return ReadLines(path).Select(l => l.Split('\t'))
                .Select(p => (p[0], p[1], new DateTime(long.Parse(p[2])), new DateTime(long.Parse(p[3])), p[4] == "deferred")).ToList();
        }

        public void HoldAt(string stage, double seconds) => File.WriteAllText(Session.PathOf("hold-" + stage), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        public void DeferOnceAt(string stage) => File.WriteAllText(Session.PathOf("defer-" + stage), "");

        /// <summary>Starts a script in this session's runspace and returns at once, as a batch runs while a user presses Ctrl+C.</summary>
        public (System.Management.Automation.PowerShell Shell, IAsyncResult Running) Start(string script)
        {
            var shell = System.Management.Automation.PowerShell.Create();
            shell.Runspace = Session.Runspace;
            shell.AddScript(script);
            return (shell, shell.BeginInvoke());
        }

        /// <summary>Waits until the condition holds, or the time is up; says which.</summary>
        public static bool WaitUntil(Func<bool> condition, double seconds = 60)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(seconds)) return false;
                System.Threading.Thread.Sleep(50);
            }
            return true;
        }

        /// <summary>Waits up to ten seconds for every process the sleeping stages started (stage and grandchild) to be gone.</summary>
        public void AssertProcessesGone(string stage, int expected)
        {
            var pids = string.Join(" ", ReadLines(Session.PathOf("pids-" + stage))).Split(new[] { ' ', '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            Xunit.Assert.Equal(expected * 2, pids.Length);
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            foreach (var pid in pids)
            {
                while (IsAlive(pid) && deadline.Elapsed < TimeSpan.FromSeconds(10)) System.Threading.Thread.Sleep(50);
                Xunit.Assert.False(IsAlive(pid), $"process {pid} is still running");
            }
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException) { return false; }
            catch (InvalidOperationException) { return false; }
        }

        /// <summary>Waits until no stage process that a killed batch left behind runs any more (as a later batch sees it).</summary>
        public void WaitForLeftovers(double seconds = 30)
        {
            var runs = Session.PathOf("runs");
            bool NoneLeft() => !Directory.Exists(runs) || Directory.GetDirectories(runs)
                .All(folder => BookBatch.Engine.Runs.RunFolder.ReadDetails(folder)?.LiveAttempt() is null);
            Xunit.Assert.True(WaitUntil(NoneLeft, seconds), "a stage process left by a killed batch still runs");
        }

        /// <summary>The idempotency keys the stages were given, as (stage, title, key).</summary>
        public List<(string Stage, string Title, string Key)> Keys()
        {
            var path = Session.PathOf("keys.log");
            return File.Exists(path) ? ReadLines(path).Select(l => l.Split('\t')).Select(p => (p[0], p[1], p[2])).ToList() : new();
        }

        /// <summary>How many times the verify command ran.</summary>
        public int VerifyRuns() => File.Exists(Session.PathOf("verify-runs.log")) ? ReadLines(Session.PathOf("verify-runs.log")).Length : 0;

        /// <summary>The verify command's next answers: "published", "not", or anything else ("cannot tell").</summary>
        public void VerifyAnswers(string answer) => File.WriteAllText(Session.PathOf("verify-answer"), answer);

        /// <summary>Starts Invoke-BookBatch in a process of its own (the test assembly's "batch" mode), as a scheduled task would.</summary>
        public System.Diagnostics.Process StartBatchProcess(string list, int throttle = 1)
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { typeof(BatchFixture).Assembly.Location, "batch", Workspace, list, throttle.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            return System.Diagnostics.Process.Start(start)!;
        }

        public int Runs(string stage, string? title = null) => StageRuns().Count(r => r.Stage == stage && (title is null || r.Title == title));

        public void FailAt(string stage) => File.WriteAllText(Session.PathOf("fail-" + stage), "");
        public void StopFailing(string stage) => File.Delete(Session.PathOf("fail-" + stage));
        public void SleepAt(string stage, double seconds) => File.WriteAllText(Session.PathOf("sleep-" + stage), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public string WriteBooks(params string[] lines)
        {
            var path = Session.PathOf("books.txt");
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return path;
        }

        /// <summary>The summary.json of a run folder as (stage, state) pairs.</summary>
        public (string Stage, string? State)[] Summary(string runFolder)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Session.PathOf("runs", runFolder, "summary.json")));
            return doc.RootElement.EnumerateObject()
                .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString())).ToArray();
        }

        public void Dispose() => Session.Dispose();
    }
}
