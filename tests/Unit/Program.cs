using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Tests.Hosting;

namespace BookBatch.Tests
{
    /// <summary>
    /// The test assembly doubles as the child processes of the tests (run as <c>dotnet BookBatch.Tests.dll MODE ...</c>):
    /// <list type="bullet">
    /// <item><c>ledger-writer WORKSPACE PREFIX COUNT</c>: adds and completes COUNT books through the module's cmdlets.</item>
    /// <item><c>stage ARG...</c>: a pipeline stage that records its run and behaves as files in the workspace say.</item>
    /// <item><c>batch WORKSPACE LIST THROTTLE</c>: Invoke-BookBatch in a process of its own; prints the CPU and wall time the batch took.</item>
    /// <item><c>sleeper SECONDS</c>: a grandchild that only sleeps (the tree-kill tests look for it).</item>
    /// <item><c>verify</c>: a publishing stage's verify command: answers as WORKSPACE/verify-answer says.</item>
    /// <item><c>notify-sink FILE CODE</c>: a notification command: writes its standard input and BOOKBATCH_* variables to FILE, exits with CODE.</item>
    /// </list>
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 4 && args[0] == "ledger-writer") return ChildProcesses.LedgerWriter(args[1], args[2], int.Parse(args[3]));
            if (args.Length >= 1 && args[0] == "stage") return TestStage.Run(args);
            if (args.Length == 4 && args[0] == "batch") return ChildProcesses.Batch(args[1], args[2], int.Parse(args[3]));
            if (args.Length == 2 && args[0] == "sleeper") { Thread.Sleep(TimeSpan.FromSeconds(double.Parse(args[1]))); return 0; }
            if (args.Length >= 1 && args[0] == "verify") return TestStage.Verify();
            if (args.Length == 3 && args[0] == "script") return ChildProcesses.Script(args[1], args[2]);
            if (args.Length == 3 && args[0] == "notify-sink") return NotifySink(args[1], int.Parse(args[2]));
            Console.Error.WriteLine("usage: BookBatch.Tests ledger-writer|stage|sleeper ... (the tests run through 'dotnet test')");
            return 2;
        }

        private static int NotifySink(string file, int code)
        {
            var input = Console.In.ReadToEnd();
            var variables = string.Join("\n", new[] { "BOOKBATCH_WORKSPACE", "BOOKBATCH_BATCH_ID", "BOOKBATCH_JOURNAL" }
                .Select(name => name + "=" + Environment.GetEnvironmentVariable(name)));
            File.WriteAllText(file, input + "\n" + variables + "\ncwd=" + Directory.GetCurrentDirectory() + "\n");
            Console.WriteLine("notified"); // output a notification command prints is read and dropped
            return code;
        }
    }

    internal static class ChildProcesses
    {
        /// <summary>
        /// A script in a session of its own (another user's, when started through setpriv): writes each error as
        /// "ErrorId | Category | message" and exits 1 when there was one.
        /// </summary>
        public static int Script(string script, string argument)
        {
            using var session = new PowerShellSession();
            var result = session.Run(script, argument);
            foreach (var o in result.Output) Console.WriteLine(o);
            foreach (var e in result.Errors.Concat(result.Terminating is null ? Array.Empty<System.Management.Automation.ErrorRecord>() : new[] { result.Terminating }))
                Console.WriteLine($"{e.FullyQualifiedErrorId} | {e.CategoryInfo.Category} | {e.ErrorDetails?.Message ?? e.Exception.Message}");
            return result.Terminating is null && result.Errors.Count == 0 ? 0 : 1;
        }

        /// <summary>A batch in a process of its own: Invoke-BookBatch over a list, in a workspace.</summary>
        public static int Batch(string workspace, string list, int throttle)
        {
            using var session = new PowerShellSession();
            session.Run("Get-BookStatus -Workspace $args[0] | Out-Null", workspace); // load the module before the clocks start
            var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var result = session.Run("param($w, $l, $t) Invoke-BookBatch -Workspace $w -Path $l -ThrottleLimit $t | Out-Null", workspace, list, throttle);
            self.Refresh();
            // What the batch cost this process, for the tests that check a waiting batch leaves the CPU alone.
            Console.WriteLine($"cpu-ms {(self.TotalProcessorTime - cpu).TotalMilliseconds:0} wall-ms {wall.Elapsed.TotalMilliseconds:0}");
            Console.Error.WriteLine(string.Join(Environment.NewLine, result.ErrorIds));
            return result.Terminating is null && result.Errors.Count == 0 ? 0 : 1;
        }

        public static int LedgerWriter(string workspace, string prefix, int count)
        {
            using var session = new PowerShellSession();
            var result = session.Run(@"
                param($workspace, $prefix, $count)
                foreach ($i in 1..$count) {
                    $line = '{0} book {1} | {0} author' -f $prefix, $i
                    $line | Add-Book -Workspace $workspace -ErrorAction Stop
                    Complete-Book -Workspace $workspace -Title ('{0} book {1}' -f $prefix, $i) -Author ('{0} author' -f $prefix) `
                        -YouTubeUrl ('https://youtube.com/watch?v={0}-{1}' -f $prefix, $i) -ErrorAction Stop
                }", workspace, prefix, count);
            if (result.Terminating != null || result.Errors.Count > 0)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, result.ErrorIds));
                Console.Error.WriteLine(result.Terminating?.ToString());
                return 1;
            }
            return 0;
        }
    }

    /// <summary>
    /// A stage for the tests. It appends "stage, title, author, attempt, privacy, args..." (tab-separated) to WORKSPACE/stage-runs.log, then:
    /// fails (exit 3) when WORKSPACE/fail-STAGE exists; sleeps the seconds in WORKSPACE/sleep-STAGE after starting a
    /// sleeper grandchild, adding both process ids to WORKSPACE/pids-STAGE; the upload stage reports youtube_url and
    /// short_url in its outputs file (WORKSPACE/url-STAGE: the youtube_url it reports instead, none when empty). WORKSPACE/hold-STAGE makes it take that many seconds; WORKSPACE/defer-STAGE
    /// makes the first stage that claims it say "not now" (exit 75). Every run appends its start and end to
    /// WORKSPACE/intervals.log.
    /// </summary>
    internal static class TestStage
    {
        public static int Run(string[] args)
        {
            var started = DateTime.UtcNow.Ticks;
            var workspace = Environment.GetEnvironmentVariable("BOOKBATCH_WORKSPACE")!;
            var stage = Environment.GetEnvironmentVariable("BOOKBATCH_STAGE")!;
            var title = Environment.GetEnvironmentVariable("BOOKBATCH_TITLE")!;
            var line = string.Join("\t", new[] { stage, title, Environment.GetEnvironmentVariable("BOOKBATCH_AUTHOR"),
                Environment.GetEnvironmentVariable("BOOKBATCH_ATTEMPT"), Environment.GetEnvironmentVariable("BOOKBATCH_PRIVACY") })
                + "\t" + string.Join("\t", args, 1, args.Length - 1);
            Append(Path.Combine(workspace, "stage-runs.log"), line);
            Append(Path.Combine(workspace, "keys.log"), $"{stage}\t{title}\t{Environment.GetEnvironmentVariable("BOOKBATCH_IDEMPOTENCY_KEY")}");
            Console.WriteLine($"{stage} ran for {title}");
            Console.Error.WriteLine($"{stage} says something on stderr");

            var sleep = Path.Combine(workspace, "sleep-" + stage);
            if (File.Exists(sleep))
            {
                var seconds = double.Parse(File.ReadAllText(sleep).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var self = typeof(Program).Assembly.Location;
                var grandchild = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { self, "sleeper", "120" }, UseShellExecute = false })!;
                Append(Path.Combine(workspace, "pids-" + stage), $"{Environment.ProcessId} {grandchild.Id}");
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
            }
            var hold = Path.Combine(workspace, "hold-" + stage);
            if (File.Exists(hold)) Thread.Sleep(TimeSpan.FromSeconds(double.Parse(File.ReadAllText(hold).Trim(), System.Globalization.CultureInfo.InvariantCulture)));
            var defer = Path.Combine(workspace, "defer-" + stage);
            if (Claim(defer))
            {
                // "Not now": the quota is used up; try again in a second.
                File.WriteAllText(Environment.GetEnvironmentVariable("BOOKBATCH_OUTPUTS")!, "{\"retryAfterSeconds\": 1}");
                Append(Path.Combine(workspace, "intervals.log"), $"{stage}\t{title}\t{started}\t{DateTime.UtcNow.Ticks}\tdeferred");
                return 75;
            }
            Append(Path.Combine(workspace, "intervals.log"), $"{stage}\t{title}\t{started}\t{DateTime.UtcNow.Ticks}\tran");
            if (File.Exists(Path.Combine(workspace, "fail-" + stage)))
            {
                Console.Error.WriteLine($"{stage} fails on purpose");
                return 3;
            }
            var url = Path.Combine(workspace, "url-" + stage);
            if (File.Exists(url))
            {
                // The URL this stage reports, as the test wants it (none at all for an empty file).
                var reported = File.ReadAllText(url).Trim();
                if (reported.Length > 0)
                    File.WriteAllText(Environment.GetEnvironmentVariable("BOOKBATCH_OUTPUTS")!,
                        "{\"youtube_url\": " + System.Text.Json.JsonSerializer.Serialize(reported) + "}");
            }
            else if (stage == "upload")
            {
                var slug = string.Concat(Array.FindAll(title.ToCharArray(), char.IsLetterOrDigit));
                File.WriteAllText(Environment.GetEnvironmentVariable("BOOKBATCH_OUTPUTS")!,
                    $"{{\"youtube_url\": \"https://youtube.example/watch?v={slug}\", \"short_url\": \"https://youtube.example/shorts/{slug}\"}}");
            }
            return 0;
        }

        /// <summary>
        /// A verify command: appends "title, key" to WORKSPACE/verify-runs.log, then answers as WORKSPACE/verify-answer
        /// says: "published" (reports the URL the upload would have, exit 0), "not" (exit 1), anything else (exit 2).
        /// </summary>
        public static int Verify()
        {
            var workspace = Environment.GetEnvironmentVariable("BOOKBATCH_WORKSPACE")!;
            var title = Environment.GetEnvironmentVariable("BOOKBATCH_TITLE")!;
            Append(Path.Combine(workspace, "verify-runs.log"), $"{title}\t{Environment.GetEnvironmentVariable("BOOKBATCH_IDEMPOTENCY_KEY")}");
            var answerPath = Path.Combine(workspace, "verify-answer");
            var answer = File.Exists(answerPath) ? File.ReadAllText(answerPath).Trim() : string.Empty;
            if (answer == "not") return 1;
            if (answer != "published") return 2;
            var slug = string.Concat(Array.FindAll(title.ToCharArray(), char.IsLetterOrDigit));
            File.WriteAllText(Environment.GetEnvironmentVariable("BOOKBATCH_OUTPUTS")!, $"{{\"youtube_url\": \"https://youtube.example/watch?v={slug}\"}}");
            return 0;
        }

        // Several stages may race for one "defer" file: the one whose rename succeeds takes it.
        private static bool Claim(string path)
        {
            if (!File.Exists(path)) return false;
            try
            {
                File.Move(path, path + "." + Environment.ProcessId);
                return true;
            }
            catch (IOException) { return false; }
        }

        private static void Append(string path, string line)
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                    using var writer = new StreamWriter(stream);
                    writer.WriteLine(line);
                    return;
                }
                catch (IOException) when (i < 200) { Thread.Sleep(10); }
            }
        }
    }
}
