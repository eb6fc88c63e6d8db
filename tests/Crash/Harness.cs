using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Crash
{
    /// <summary>Wall-clock milliseconds since the Unix epoch: the clock the stage scripts log with (EPOCHREALTIME).</summary>
    internal static class Clock
    {
        public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    /// <summary>Signals and liveness, the way the operating system sees them.</summary>
    internal static class Os
    {
        public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;
        /// <summary>Linux's numbers (the farm, which needs Linux namespaces, is their only user).</summary>
        public const int SIGCONT = 18, SIGSTOP = 19;

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        public static string SignalName(int signal) => signal switch { SIGINT => "SIGINT", SIGKILL => "SIGKILL", SIGTERM => "SIGTERM", _ => "signal " + signal };

        /// <summary>Sends a signal to one process (not its group): the host alone, as a service manager or kill(1) would.</summary>
        public static bool Signal(int pid, int signal)
        {
            if (OperatingSystem.IsWindows())
            {
                // Windows has no signals to send to another console's process; a forced end is the only "kill" here.
                if (signal != SIGKILL) return false;
                try { using var p = Process.GetProcessById(pid); p.Kill(); return true; }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { return false; }
            }
            return kill(pid, signal) == 0;
        }

        /// <summary>
        /// True while the process with this pid (and, when known, this start time from /proc/&lt;pid&gt;/stat) runs:
        /// kill(pid, 0) succeeds and /proc says it is neither a zombie nor a reused pid.
        /// </summary>
        public static bool Alive(int pid, long startTime)
        {
            if (pid <= 0) return false;
            if (OperatingSystem.IsWindows())
            {
                try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
                catch (ArgumentException) { return false; }
            }
            if (kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() != 1 /* EPERM: alive, not ours */) return false;
            var stat = $"/proc/{pid}/stat";
            if (!Directory.Exists("/proc/self")) return true; // no /proc (macOS): kill(pid, 0) is all there is
            string text;
            try { text = File.ReadAllText(stat); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
            var close = text.LastIndexOf(')');
            if (close < 0) return true;
            var fields = text.Substring(close + 2).Split(' ');
            if (fields.Length > 0 && (fields[0] == "Z" || fields[0] == "X")) return false; // exited, not yet reaped
            return startTime <= 0 || fields.Length <= 19 || fields[19] == startTime.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>A process's start time (field 22 of /proc/&lt;pid&gt;/stat, for <see cref="Alive"/>), or 0 when unknown.</summary>
        public static long StartTime(int pid)
        {
            try
            {
                var text = File.ReadAllText($"/proc/{pid}/stat");
                var fields = text.Substring(text.LastIndexOf(')') + 2).Split(' ');
                return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException) { return 0; }
        }
    }

    /// <summary>Where things are: the repository, the staged module, the project's pwsh.</summary>
    internal sealed class Paths
    {
        public required string RepoRoot { get; init; }
        public required string Module { get; init; }
        public required string Dotnet { get; init; }
        public required string PwshDll { get; init; }
        public required string PwshVersion { get; init; }

        public static Paths Find()
        {
            var root = Up(Directory.GetCurrentDirectory()) ?? Up(AppContext.BaseDirectory)
                ?? throw new SetupException("BookBatch.sln not found above the current folder or the program; run from the repository");
            var module = Path.Combine(root, "out", "BookBatch", "BookBatch.psd1");
            if (!File.Exists(module)) throw new SetupException($"the module is not staged ({module}); run: dotnet build BookBatch.sln -c Release");

            var manifest = Path.Combine(root, ".config", "dotnet-tools.json");
            string version;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
                version = doc.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
            }
            catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new SetupException($"cannot read the pinned PowerShell version from {manifest}: {e.Message}");
            }
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet)) dotnet = "dotnet";
            var packages = GlobalPackages(dotnet);
            var pwsh = Path.Combine(packages, "powershell", version, "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
            if (!File.Exists(pwsh)) throw new SetupException($"the project's pwsh is not there ({pwsh}); run: dotnet tool restore");
            return new Paths { RepoRoot = root, Module = module, Dotnet = dotnet, PwshDll = pwsh, PwshVersion = version };
        }

        private static string? Up(string start)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "BookBatch.sln"))) return dir.FullName;
            return null;
        }

        private static string GlobalPackages(string dotnet)
        {
            var fromEnv = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            try
            {
                var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var a in new[] { "nuget", "locals", "global-packages", "--list" }) start.ArgumentList.Add(a);
                using var p = Process.Start(start)!;
                var output = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                foreach (var line in output.Split('\n'))
                {
                    var i = line.IndexOf("global-packages:", StringComparison.Ordinal);
                    if (i >= 0) return line.Substring(i + "global-packages:".Length).Trim();
                }
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException) { }
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }
    }

    internal sealed class SetupException : Exception
    {
        public SetupException(string message) : base(message) { }
    }

    /// <summary>How a scenario's pipeline is set up: seconds per stage and the upload's limits.</summary>
    internal sealed class PipelineSpec
    {
        public static readonly string[] StageNames = { "search", "transcribe", "process", "tts", "render", "upload", "shorts" };

        public Dictionary<string, double> Sleep { get; } = StageNames.ToDictionary(s => s, _ => 0.0);
        public Dictionary<string, int> Concurrency { get; } = new();
        public (int Starts, int PerSeconds)? UploadRate { get; set; }
        public bool Verify { get; set; }
        /// <summary>A key no engine knows, on the upload stage: does the engine refuse keys it does not know?</summary>
        public bool UnknownKey { get; set; }

        public PipelineSpec Seconds(double others, double upload)
        {
            foreach (var s in StageNames) Sleep[s] = others;
            Sleep["upload"] = upload;
            return this;
        }
    }

    /// <summary>
    /// One scenario's folder: ws/ (the workspace), external/ (what the stages logged: starts.log, published.log),
    /// bin/ (stage.sh, verify.sh, host.ps1), sleep/ (seconds per stage), hosts/ (each batch host's output).
    /// </summary>
    internal sealed class TestDir
    {
        private int _hosts;

        public TestDir(string root)
        {
            Root = root;
            foreach (var d in new[] { Workspace, External, Bin, SleepDir, Hosts, Path.Combine(Workspace, "runs"), Path.Combine(Workspace, "batches") })
                Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(Workspace, "database.json"), "{\n  \"books\": []\n}\n");
            File.WriteAllText(StageScript, Scripts.Stage.Replace("\r\n", "\n"));
            File.WriteAllText(VerifyScript, Scripts.Verify.Replace("\r\n", "\n"));
            File.WriteAllText(HostScript, Scripts.Host);
            File.WriteAllText(StartsLog, "");
            File.WriteAllText(PublishedLog, "");
        }

        public string Root { get; }
        public string Workspace => Path.Combine(Root, "ws");
        public string External => Path.Combine(Root, "external");
        public string Bin => Path.Combine(Root, "bin");
        public string SleepDir => Path.Combine(Root, "sleep");
        public string Hosts => Path.Combine(Root, "hosts");
        public string StageScript => Path.Combine(Bin, "stage.sh");
        public string VerifyScript => Path.Combine(Bin, "verify.sh");
        public string HostScript => Path.Combine(Bin, "host.ps1");
        public string StartsLog => Path.Combine(External, "starts.log");
        public string PublishedLog => Path.Combine(External, "published.log");
        public string Settings => Path.Combine(Workspace, "bookbatch.json");

        public int NextHostNumber() => Interlocked.Increment(ref _hosts);

        /// <summary>Writes a book list (one title a line) into the test folder and returns its path.</summary>
        public string WriteList(string name, IEnumerable<string> titles)
        {
            var path = Path.Combine(Root, name);
            File.WriteAllText(path, string.Join("\n", titles) + "\n");
            return path;
        }

        /// <summary>bookbatch.json for the spec, and the seconds each stage sleeps (read by the stage at each start).</summary>
        public void WriteSettings(PipelineSpec spec)
        {
            foreach (var (stage, seconds) in spec.Sleep)
                File.WriteAllText(Path.Combine(SleepDir, stage), seconds.ToString("0.###", CultureInfo.InvariantCulture) + "\n");
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteString("privacy", "unlisted");
                w.WriteNumber("delaySeconds", 0);
                w.WriteNumber("throttleLimit", 1);
                w.WriteNumber("bookTimeoutSeconds", 3600);
                w.WriteStartArray("stages");
                foreach (var stage in PipelineSpec.StageNames)
                {
                    w.WriteStartObject();
                    w.WriteString("name", stage);
                    w.WriteString("command", "bash");
                    w.WriteStartArray("arguments");
                    w.WriteStringValue(StageScript);
                    w.WriteStringValue(Root);
                    w.WriteEndArray();
                    w.WriteNumber("timeoutSeconds", 600);
                    if (spec.Concurrency.TryGetValue(stage, out var concurrency)) w.WriteNumber("concurrency", concurrency);
                    if (stage == "upload" && spec.UploadRate is { } rate)
                    {
                        w.WriteStartObject("rate");
                        w.WriteNumber("starts", rate.Starts);
                        w.WriteNumber("perSeconds", rate.PerSeconds);
                        w.WriteEndObject();
                    }
                    if (stage == "upload" && spec.UnknownKey) w.WriteBoolean("crashTestUnknownKey", true);
                    if (stage == "upload" && spec.Verify)
                    {
                        w.WriteStartObject("verify");
                        w.WriteString("command", "bash");
                        w.WriteStartArray("arguments");
                        w.WriteStringValue(VerifyScript);
                        w.WriteStringValue(Root);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            File.WriteAllBytes(Settings, stream.ToArray());
        }
    }

    /// <summary>
    /// One batch in its own pwsh process: `dotnet pwsh.dll -NoProfile -NonInteractive -File host.ps1`, started warm (module
    /// imported, waiting for "go"), so that the next batch begins the instant the previous host is killed. The pid is
    /// the real host's: dotnet runs pwsh.dll in its own process, no launcher in between.
    /// </summary>
    internal sealed class BatchHost
    {
        private static readonly ConcurrentDictionary<int, BatchHost> Live = new();
        private readonly Process _process;
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _lines = new();
        private readonly StreamWriter _log;

        private BatchHost(Paths paths, TestDir dir, string list, int throttle)
        {
            Number = dir.NextHostNumber();
            StatusFile = Path.Combine(dir.Hosts, $"status-{Number}.json");
            _log = new StreamWriter(Path.Combine(dir.Hosts, $"host-{Number}.log")) { AutoFlush = true };
            var start = new ProcessStartInfo(paths.Dotnet)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir.Root,
            };
            foreach (var a in new[] { paths.PwshDll, "-NoProfile", "-NonInteractive", "-File", dir.HostScript,
                         "-Module", paths.Module, "-Workspace", dir.Workspace, "-List", list,
                         "-Throttle", throttle.ToString(CultureInfo.InvariantCulture), "-StatusFile", StatusFile })
                start.ArgumentList.Add(a);
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment.Remove("BOOKBATCH_WORKSPACE");
            _process = new Process { StartInfo = start, EnableRaisingEvents = true };
            _process.OutputDataReceived += (_, e) => Line(e.Data, "");
            _process.ErrorDataReceived += (_, e) => Line(e.Data, "stderr: ");
            _process.Exited += (_, _) =>
            {
                ExitMs = Clock.Now;
                Live.TryRemove(Pid, out _);
                _exited.TrySetResult();
                _ready.TrySetResult();
            };
            _process.Start();
            Pid = _process.Id;
            Live[Pid] = this;
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Number { get; }
        public int Pid { get; }
        public string StatusFile { get; }
        public long GoMs { get; private set; }
        public long? ExitMs { get; private set; }
        public long? SignalMs { get; private set; }
        public int? SignalSent { get; private set; }
        public bool HasExited => _exited.Task.IsCompleted;
        public Task Exited => _exited.Task;

        public int ExitCode => HasExited ? _process.ExitCode : -1;

        public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToList(); } }

        /// <summary>Starts a host; it imports the module and waits for <see cref="GoAsync"/>.</summary>
        public static BatchHost Start(Paths paths, TestDir dir, string list, int throttle) => new(paths, dir, list, throttle);

        private void Line(string? text, string prefix)
        {
            if (text is null) return;
            lock (_lines) _lines.Add(prefix + text);
            lock (_log) _log.WriteLine($"{Clock.Now} {prefix}{text}");
            if (prefix.Length == 0 && text == "ready") _ready.TrySetResult();
        }

        /// <summary>Waits until the host has imported the module and waits for "go".</summary>
        public async Task ReadyAsync()
        {
            if (await Task.WhenAny(_ready.Task, Task.Delay(TimeSpan.FromSeconds(90))).ConfigureAwait(false) != _ready.Task)
                throw new SetupException($"batch host {Pid} did not get ready in 90 s (see its log)");
            if (HasExited) throw new SetupException($"batch host {Pid} exited before its batch (code {ExitCode}): {string.Join(" | ", Lines.TakeLast(5))}");
        }

        /// <summary>Waits until the host is ready, then lets the batch run.</summary>
        public async Task GoAsync()
        {
            await ReadyAsync().ConfigureAwait(false);
            GoMs = Clock.Now;
            await _process.StandardInput.WriteLineAsync("go").ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
            _process.StandardInput.Close();
        }

        /// <summary>A warm host that is not needed any more ends by itself.</summary>
        public async Task DismissAsync()
        {
            if (GoMs != 0 || HasExited) return;
            try
            {
                await _ready.Task.WaitAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
                if (!HasExited)
                {
                    await _process.StandardInput.WriteLineAsync("stop").ConfigureAwait(false);
                    _process.StandardInput.Close();
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException) { }
            if (!await WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false)) Signal(Os.SIGKILL);
        }

        public bool Signal(int signal)
        {
            if (HasExited) return false;
            SignalMs = Clock.Now;
            SignalSent = signal;
            return Os.Signal(Pid, signal);
        }

        /// <summary>True when the host exited within the time.</summary>
        public async Task<bool> WaitAsync(TimeSpan timeout) =>
            await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false) == _exited.Task;

        /// <summary>The batch's results: (title, outcome, reason or error).</summary>
        public IEnumerable<(string Title, string Outcome, string Reason)> Results() =>
            Lines.Where(l => l.StartsWith("result\t", StringComparison.Ordinal)).Select(l => l.Split('\t'))
                .Select(f => (f.ElementAtOrDefault(1) ?? "", f.ElementAtOrDefault(2) ?? "", string.Join(" ", f.Skip(3).Where(x => x.Length > 0))));

        /// <summary>The terminating error the batch ended with, if any (its id and message).</summary>
        public string? Terminating => Lines.FirstOrDefault(l => l.StartsWith("terminating\t", StringComparison.Ordinal) || l.StartsWith("error\tBookBatchSettingsInvalid", StringComparison.Ordinal));

        /// <summary>Get-BookStatus after the batch (written only by a host that finished its batch).</summary>
        public List<BookState> ReadStatus() => BookState.Read(StatusFile);

        /// <summary>Ends every host this program started and that still runs (by its pid): the program's own clean-up.</summary>
        public static void KillAll()
        {
            foreach (var host in Live.Values) host.Signal(Os.SIGKILL);
        }
    }

    /// <summary>One book as Get-BookStatus showed it after a batch.</summary>
    internal sealed record BookState(string Title, string Status, string Action, string? YouTubeUrl)
    {
        public bool Done => Status.Equals("Done", StringComparison.OrdinalIgnoreCase);
        public bool Review => Action.Equals("Review", StringComparison.OrdinalIgnoreCase) || Status.Equals("Review", StringComparison.OrdinalIgnoreCase);

        public static List<BookState> Read(string path)
        {
            var list = new List<BookState>();
            if (!File.Exists(path)) return list;
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var items = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement.EnumerateArray().ToList() : new List<JsonElement> { doc.RootElement };
            foreach (var b in items)
            {
                string? S(string name) => b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                list.Add(new BookState(S("title") ?? "", S("status") ?? "", S("action") ?? "", S("youtubeUrl")));
            }
            return list;
        }
    }

    /// <summary>A stage process as the stage script logged it (S line), with its end (E line, or when its pid went away).</summary>
    internal sealed class StageProcess
    {
        public long StartMs { get; init; }
        public required string Stage { get; init; }
        public required string Title { get; init; }
        public int Pid { get; init; }
        public int ParentPid { get; init; }
        public long ProcessStart { get; init; }
        public required string Key { get; init; }
        public required string Attempt { get; init; }
        public required string Run { get; init; }
        /// <summary>The E line: when and how it ended ("done", "TERM", "INT", "HUP").</summary>
        public long? EndLineMs { get; set; }
        public string? EndHow { get; set; }
        /// <summary>When the pid watcher last saw it alive.</summary>
        public long? LastAliveMs { get; set; }
        /// <summary>When the pid watcher first saw it gone.</summary>
        public long? GoneMs { get; set; }
        /// <summary>
        /// Until when it surely ran: its end line, else the last time the watcher saw it alive (a process killed without
        /// an end line ended between that poll and the next: the engine gets the benefit of the doubt); null while it
        /// still runs.
        /// </summary>
        public long? EndMs => EndLineMs ?? (GoneMs is null ? null : LastAliveMs ?? StartMs);
    }

    /// <summary>A publication (P line of published.log).</summary>
    internal sealed record Publication(long Ms, string Title, string Key, int Pid, string Run);

    /// <summary>A verify call (V line of starts.log).</summary>
    internal sealed record VerifyCall(long Ms, string Title, int Pid, int ParentPid, string Key, string Answer);

    /// <summary>
    /// Follows starts.log as it grows and polls every stage pid it names (every 20 ms) until it is gone, so that a stage
    /// killed without an end line (SIGKILL) still gets an end: the moment its process disappeared.
    /// </summary>
    internal sealed class PidWatcher : IDisposable
    {
        private readonly string _startsLog;
        private readonly Thread _thread;
        private readonly object _gate = new();
        private readonly List<StageProcess> _processes = new();
        private readonly List<VerifyCall> _verifies = new();
        private readonly Dictionary<int, StageProcess> _byPid = new();
        private volatile bool _stop;
        private long _offset;
        private byte[] _pending = Array.Empty<byte>();

        public PidWatcher(string startsLog)
        {
            _startsLog = startsLog;
            _thread = new Thread(Loop) { IsBackground = true, Name = "pid watcher" };
            _thread.Start();
        }

        public List<StageProcess> Processes { get { Poll(); lock (_gate) return _processes.ToList(); } }
        public List<VerifyCall> Verifies { get { Poll(); lock (_gate) return _verifies.ToList(); } }

        private void Loop()
        {
            while (!_stop)
            {
                Poll();
                Thread.Sleep(20);
            }
        }

        private void Poll()
        {
            lock (_gate)
            {
                ReadNew();
                var now = Clock.Now;
                foreach (var p in _processes)
                {
                    if (p.GoneMs != null) continue;
                    if (Os.Alive(p.Pid, p.ProcessStart)) p.LastAliveMs = now;
                    else p.GoneMs = now;
                }
            }
        }

        private void ReadNew()
        {
            byte[] chunk;
            try
            {
                using var f = new FileStream(_startsLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (f.Length <= _offset) return;
                f.Seek(_offset, SeekOrigin.Begin);
                chunk = new byte[f.Length - _offset];
                var read = 0;
                while (read < chunk.Length)
                {
                    var n = f.Read(chunk, read, chunk.Length - read);
                    if (n == 0) break;
                    read += n;
                }
                _offset += read;
                if (read < chunk.Length) Array.Resize(ref chunk, read);
            }
            catch (FileNotFoundException) { return; }
            var all = new byte[_pending.Length + chunk.Length];
            _pending.CopyTo(all, 0);
            chunk.CopyTo(all, _pending.Length);
            var last = Array.LastIndexOf(all, (byte)'\n');
            _pending = last < 0 ? all : all[(last + 1)..];
            if (last < 0) return;
            foreach (var line in Encoding.UTF8.GetString(all, 0, last).Split('\n')) Parse(line);
        }

        private void Parse(string line)
        {
            var f = line.Split('\t');
            static long L(string s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
            static int I(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
            switch (f[0])
            {
                case "S" when f.Length >= 10:
                    var p = new StageProcess
                    {
                        StartMs = L(f[1]), Stage = f[2], Title = f[3], Pid = I(f[4]), ParentPid = I(f[5]), ProcessStart = L(f[6]),
                        Key = f[7], Attempt = f[8], Run = f[9],
                    };
                    _processes.Add(p);
                    _byPid[p.Pid] = p;
                    break;
                case "E" when f.Length >= 6:
                    if (_byPid.TryGetValue(I(f[4]), out var ended) && ended.EndLineMs is null)
                    {
                        ended.EndLineMs = L(f[1]);
                        ended.EndHow = f[5];
                    }
                    break;
                case "V" when f.Length >= 8:
                    _verifies.Add(new VerifyCall(L(f[1]), f[3], I(f[4]), I(f[5]), f[6], f[7]));
                    break;
            }
        }

        /// <summary>Waits until every stage process logged so far is gone; false when some still run after the time.</summary>
        public bool WaitAllGone(TimeSpan timeout)
        {
            var until = Stopwatch.StartNew();
            while (until.Elapsed < timeout)
            {
                Poll();
                lock (_gate)
                    if (_processes.All(p => p.GoneMs != null)) return true;
                Thread.Sleep(50);
            }
            return false;
        }

        /// <summary>Stage processes still running (for the clean-up: killed by pid only if a scenario's wait ran out).</summary>
        public List<StageProcess> StillRunning()
        {
            Poll();
            lock (_gate) return _processes.Where(p => p.GoneMs is null).ToList();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }

        /// <summary>The publications in published.log (complete lines only).</summary>
        public static List<Publication> ReadPublications(string path)
        {
            var list = new List<Publication>();
            foreach (var line in CompleteLines(path))
            {
                var f = line.Split('\t');
                if (f.Length < 6 || f[0] != "P") continue;
                list.Add(new Publication(long.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3], int.Parse(f[4], CultureInfo.InvariantCulture), f[5]));
            }
            return list;
        }

        /// <summary>The lines of a log that stages append to, without a last line still being written.</summary>
        public static IEnumerable<string> CompleteLines(string path)
        {
            if (!File.Exists(path)) yield break;
            string text;
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var r = new StreamReader(f)) text = r.ReadToEnd();
            var last = text.LastIndexOf('\n');
            if (last < 0) yield break;
            foreach (var line in text.Substring(0, last).Split('\n')) yield return line;
        }
    }

    /// <summary>What the run folders recorded: when each stage's attempt ended Succeeded (bookbatch-run.jsonl "ended" lines).</summary>
    internal static class RunRecords
    {
        /// <summary>(run folder name, stage) → the earliest recorded success, in ms.</summary>
        public static Dictionary<(string Run, string Stage), long> Successes(string workspace)
        {
            var map = new Dictionary<(string, string), long>();
            var runs = Path.Combine(workspace, "runs");
            if (!Directory.Exists(runs)) return map;
            foreach (var folder in Directory.GetDirectories(runs))
            {
                var file = Path.Combine(folder, "bookbatch-run.jsonl");
                if (!File.Exists(file)) continue;
                foreach (var line in File.ReadAllLines(file))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(line);
                        var e = doc.RootElement;
                        if (Str(e, "event") != "ended" || !string.Equals(Str(e, "result"), "Succeeded", StringComparison.OrdinalIgnoreCase)) continue;
                        var stage = Str(e, "stage");
                        var ended = Str(e, "ended");
                        if (stage is null || ended is null) continue;
                        var ms = DateTimeOffset.Parse(ended, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                        var key = (Path.GetFileName(folder), stage);
                        if (!map.TryGetValue(key, out var old) || ms < old) map[key] = ms;
                    }
                    catch (Exception ex) when (ex is JsonException or FormatException) { } // a torn line: allowed by design
                }
            }
            return map;
        }

        private static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>
    /// The files BookBatch owns that must always read, being replaced atomically: database.json (and its .bak), every
    /// runs/*/summary.json, every batches/leases/holders/*.json. (The .jsonl files may end in a torn line by design.)
    /// </summary>
    internal sealed class FileCheck
    {
        public List<string> Corrupt { get; } = new();
        public int DatabaseTemps { get; private set; }
        public int OtherTemps { get; private set; }

        public static FileCheck Of(string workspace)
        {
            var check = new FileCheck();
            check.Parse(Path.Combine(workspace, "database.json"), mustExist: true);
            check.Parse(Path.Combine(workspace, "database.json.bak"), mustExist: false);
            var runs = Path.Combine(workspace, "runs");
            if (Directory.Exists(runs))
                foreach (var folder in Directory.GetDirectories(runs))
                    check.Parse(Path.Combine(folder, "summary.json"), mustExist: false);
            var holders = Path.Combine(workspace, "batches", "leases", "holders");
            if (Directory.Exists(holders))
                foreach (var holder in Directory.GetFiles(holders, "*.json"))
                    check.Parse(holder, mustExist: false);
            check.DatabaseTemps = Directory.GetFiles(workspace, ".database.json.*.tmp").Length;
            check.OtherTemps = Directory.GetFiles(workspace, "*.tmp", SearchOption.AllDirectories).Length - check.DatabaseTemps;
            return check;
        }

        private void Parse(string path, bool mustExist)
        {
            byte[] bytes;
            try { bytes = File.ReadAllBytes(path); }
            catch (FileNotFoundException) { if (mustExist) Corrupt.Add(path + " (missing)"); return; }
            catch (IOException) { return; } // replaced while being read: not a fault of the file
            try
            {
                var span = bytes.AsSpan();
                if (span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF) span = span[3..];
                using var doc = JsonDocument.Parse(span.ToArray());
            }
            catch (JsonException e)
            {
                Corrupt.Add($"{path} ({e.Message})");
            }
        }
    }
}
