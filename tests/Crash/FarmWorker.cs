using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using BookBatch.Postgres.Tests;

namespace BookBatch.Crash
{
    /// <summary>
    /// A worker on a server of its own: `unshare --pid --fork --mount-proc --uts` gives it a PID namespace (a /proc of
    /// its own: no worker sees another's processes), a host name (the server its stages name in their lines), a temp
    /// folder, and an init, sh, that starts the worker and, once the worker is gone, lives on while anything else in the
    /// namespace does. Were the worker the namespace's PID 1, the kernel would kill every process in it with the worker,
    /// hiding the orphaned stages a killed worker leaves running on a real server. Signals go to the worker alone; unshare
    /// itself is killed only to end the whole server (--kill-child: its init, and with it the namespace, go too). With a
    /// <see cref="NetworkNamespace"/>, the server has a network of its own too, which can be cut.
    /// </summary>
    internal sealed class FarmWorker
    {
        // The namespace's init (sh, PID 1): $1 the host name, then the worker's command line.
        private const string Init = """
            hostname "$1"; shift
            "$@" &
            wait $!
            while :; do set -- /proc/[0-9]*; [ $# -le 1 ] && exit 0; sleep 0.2; done
            """;

        private static readonly ConcurrentDictionary<string, FarmWorker> Live = new();
        private readonly Process _unshare;
        private readonly TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StreamWriter _log;
        private int _initPid, _workerPid;
        private long _workerStart;

        private readonly NetworkNamespace? _network;

        private FarmWorker(Paths paths, string server, string workspace, string folder, IReadOnlyDictionary<string, string> environment, string parameters,
            NetworkNamespace? network)
        {
            Server = server;
            _network = network;
            var temp = Path.Combine(folder, server + "-tmp");
            Directory.CreateDirectory(temp);
            _log = new StreamWriter(Path.Combine(folder, server + ".log")) { AutoFlush = true };
            var command = $"Import-Module '{Quoted(paths.Module)}' -ErrorAction Stop; Set-Location -LiteralPath '{Quoted(workspace)}'; " +
                          $"Start-BookBatchWorker {parameters} | ForEach-Object {{ \"result`t$($_.Title)`t$($_.Outcome)`t$($_.Reason)\" }}";
            var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--pid", "--fork", "--mount-proc", "--uts", "--kill-child", "--", "sh", "-c", Init, "sh", server,
                         paths.Dotnet, paths.PwshDll, "-NoProfile", "-NonInteractive", "-Command", command })
                start.ArgumentList.Add(a);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            start.Environment["TMPDIR"] = temp;
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment.Remove("BOOKBATCH_WORKSPACE");
            network?.Wrap(start); // `ip netns exec` runs unshare in the server's network, as unshare itself (an exec)
            _unshare = new Process { StartInfo = start, EnableRaisingEvents = true };
            _unshare.OutputDataReceived += (_, e) => Line(e.Data, "");
            _unshare.ErrorDataReceived += (_, e) => Line(e.Data, "stderr: ");
            _unshare.Exited += (_, _) =>
            {
                Live.TryRemove(Server, out _);
                _network?.Dispose();
                _ended.TrySetResult();
            };
            _unshare.Start();
            Live[server] = this;
            _unshare.BeginOutputReadLine();
            _unshare.BeginErrorReadLine();
        }

        /// <summary>The server's host name: what its stages' lines say.</summary>
        public string Server { get; }

        /// <summary>When the worker said it started (its first log line), or null before.</summary>
        public long? UpMs { get; private set; }

        /// <summary>
        /// When the worker stopped working: this program killed or stopped it (SIGKILL, SIGTERM), or found it ended by
        /// itself (<see cref="Gone"/>); null while it may run.
        /// </summary>
        public long? DownMs { get; private set; }

        /// <summary>True between a SIGSTOP and its SIGCONT.</summary>
        public bool Frozen { get; private set; }

        /// <summary>True while its server's network is cut.</summary>
        public bool CutOff { get; private set; }

        /// <summary>Up, not stopped by this program, not frozen, not cut off: a worker that can be killed, or take books.</summary>
        public bool Working => UpMs != null && DownMs is null && !Frozen && !CutOff;

        /// <summary>Takes its server's network down (false without a network of its own), or brings it back.</summary>
        public bool Cut(bool down)
        {
            if (_network is null || Ended) return false;
            if (down) _network.Cut();
            else _network.Mend();
            CutOff = down;
            return true;
        }

        /// <summary>The server is gone: its init ended, so every process in its namespace has.</summary>
        public bool Ended => _ended.Task.IsCompleted;

        public Task EndedTask => _ended.Task;

        /// <summary>
        /// Starts a worker on a new server named <paramref name="server"/>: `Start-BookBatchWorker <paramref name="parameters"/>`
        /// in <paramref name="workspace"/>, its output and temp folder in <paramref name="folder"/>, in
        /// <paramref name="network"/> when given (removed once the server ends).
        /// </summary>
        public static FarmWorker Start(Paths paths, string server, string workspace, string folder, IReadOnlyDictionary<string, string> environment, string parameters,
            NetworkNamespace? network = null) =>
            new(paths, server, workspace, folder, environment, parameters, network);

        private static string Quoted(string text) => text.Replace("'", "''");

        private void Line(string? text, string prefix)
        {
            if (text is null) return;
            lock (_log) _log.WriteLine($"{Clock.Now} {prefix}{text}");
            if (UpMs is null && prefix.Length == 0 && text.Contains("worker ", StringComparison.Ordinal) && text.Contains(" started (", StringComparison.Ordinal))
            {
                UpMs = Clock.Now;
                _up.TrySetResult();
            }
        }

        /// <summary>Waits until the worker has started (true), or its server ended or the time ran out first (false).</summary>
        public async Task<bool> UpAsync(TimeSpan timeout) =>
            await Task.WhenAny(_up.Task, _ended.Task, Task.Delay(timeout)).ConfigureAwait(false) == _up.Task;

        /// <summary>
        /// Sends <paramref name="signal"/> to the worker's process, found on the host as the init's child (unshare →
        /// sh → worker); false when it is not there (any more).
        /// </summary>
        public bool Signal(int signal)
        {
            if (!FindWorker()) return false;
            var sent = Os.Signal(_workerPid, signal);
            if (!sent) return false;
            if (signal is Os.SIGKILL or Os.SIGTERM) DownMs ??= Clock.Now;
            if (signal == Os.SIGSTOP) Frozen = true;
            if (signal == Os.SIGCONT) Frozen = false;
            return true;
        }

        /// <summary>Records that the worker was found ended by itself.</summary>
        public void Gone() => DownMs ??= Clock.Now;

        /// <summary>True while the worker's own process runs (its server may run on after it, for its orphans).</summary>
        public bool WorkerAlive => FindWorker() && Os.Alive(_workerPid, _workerStart);

        private bool FindWorker()
        {
            if (_workerPid != 0) return true;
            if (Ended) return false;
            if (_initPid == 0) _initPid = Children(_unshare.Id).FirstOrDefault();
            if (_initPid == 0) return false;
            _workerPid = Children(_initPid).FirstOrDefault(IsWorker);
            if (_workerPid != 0) _workerStart = Os.StartTime(_workerPid);
            return _workerPid != 0;
        }

        // The init's other child, `hostname`, comes and goes first, and until its exec a child of sh is sh with sh's
        // command line (which names pwsh.dll too): the worker is the child that runs pwsh.dll and is no longer sh.
        private static bool IsWorker(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/comm").Trim() != "sh" &&
                       File.ReadAllText($"/proc/{pid}/cmdline").Contains("pwsh.dll", StringComparison.Ordinal);
            }
            catch (IOException) { return false; }
        }

        private static IEnumerable<int> Children(int pid)
        {
            string text;
            try { text = File.ReadAllText($"/proc/{pid}/task/{pid}/children"); }
            catch (IOException) { return Array.Empty<int>(); }
            return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
        }

        /// <summary>Ends the server and everything in it: unshare, killed, kills its init, which takes the namespace along.</summary>
        public void EndServer()
        {
            if (!Ended) Os.Signal(_unshare.Id, Os.SIGKILL);
        }

        /// <summary>Ends every server this program started that still runs: the program's own clean-up.</summary>
        public static void EndAll()
        {
            foreach (var worker in Live.Values) worker.EndServer();
        }
    }
}
