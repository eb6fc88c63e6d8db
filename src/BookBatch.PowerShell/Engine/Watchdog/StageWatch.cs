using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using BookBatch.Engine.Processes;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Watchdog
{
    /// <summary>
    /// A host's side of its stage watchdog (<see cref="StageWatchdog"/>): the watchdog process is started before the
    /// host's first stage, its standard input is a pipe only the host holds, and, when the host's holds can lapse while
    /// it is silent (a store shared by servers), the host writes a heartbeat line to it while its holds are fresh. Every
    /// stage gets <see cref="Token"/> in its environment. On Windows the job object does this work (stages end with their
    /// host); elsewhere without <c>/proc</c> there is no watchdog (docs/DECISIONS.md, "A stage whose host died").
    /// </summary>
    public sealed class StageWatch : IStageWatch, IDisposable
    {
        private static readonly char[] LineBreakers = { '\t', '\n', '\r' };
        private readonly TimeSpan? _silence;
        private readonly Func<bool> _fresh;
        private readonly object _gate = new();
        private readonly object _pipe = new();
        // Lines that need not be sent at once ("recorded"): they go with the next line, so that a stage costs the
        // watchdog one wake-up, not two.
        private readonly System.Text.StringBuilder _pending = new();
        private readonly ManualResetEventSlim _closing = new();
        private Process? _process;
        private Thread? _beats;
        private string? _failure;
        private bool _started;

        private StageWatch(TimeSpan? holdLapse, Func<bool> fresh, bool required)
        {
            // Silent for a quarter of the lease, the host's stages are ended: within three quarters of it once its holds
            // stopped being renewed, before any other server can take its books (docs/DECISIONS.md).
            _silence = holdLapse is TimeSpan lapse ? TimeSpan.FromTicks(lapse.Ticks / 4) : null;
            _fresh = fresh;
            Required = required;
        }

        /// <summary>The host's token, which every stage it starts carries in <see cref="ProcessIdentity.WatchTokenVariable"/>.</summary>
        public string Token { get; } = Guid.NewGuid().ToString("N");

        /// <summary>True when no stage may start without the watchdog (a store shared by servers).</summary>
        public bool Required { get; }

        /// <summary>
        /// The watch of a host whose holds lapse after <paramref name="holdLapse"/> of silence (null: only with its process)
        /// and are fresh while <paramref name="fresh"/> says so; null where the system needs none or has no way to find a
        /// host's stages (Windows: the job object; macOS: no <c>/proc</c>).
        /// </summary>
        public static StageWatch? ForThisSystem(TimeSpan? holdLapse, Func<bool> fresh) =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && File.Exists("/proc/self/environ")
                ? new StageWatch(holdLapse, fresh, required: holdLapse != null)
                : null;

        /// <summary>Starts the watchdog unless it runs; returns why it could not start, or null.</summary>
        public string? EnsureStarted()
        {
            lock (_gate)
            {
                if (_started) return _failure;
                _started = true;
                try
                {
                    _process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("no process was started");
                    if (_silence is TimeSpan silence)
                    {
                        _beats = new Thread(() => Beat(TimeSpan.FromTicks(silence.Ticks / 3))) { IsBackground = true, Name = "BookBatch watchdog heartbeat" };
                        _beats.Start();
                    }
                }
                catch (Exception e) when (e is FileNotFoundException or System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
                {
                    _failure = $"the stage watchdog could not start: {e.Message}";
                }
                return _failure;
            }
        }

        /// <inheritdoc />
        public void Watch(StageInvocation attempt)
        {
            var fields = new[] { attempt.RunFolder, attempt.Stage.Name, attempt.Attempt.ToString(CultureInfo.InvariantCulture), attempt.AttemptToken };
            // A field the line cannot carry leaves the attempt to the watchdog's look at the processes alone.
            if (fields.All(f => f.IndexOfAny(LineBreakers) < 0)) Send(StageWatchdog.WatchLine + "\t" + string.Join("\t", fields));
        }

        /// <inheritdoc />
        /// <remarks>
        /// Sent with the next line (the next attempt's, a heartbeat, or the host's end): until then the watchdog still
        /// counts the attempt open, and should the host die meanwhile it finds its end in the run folder instead.
        /// </remarks>
        public void Recorded(string token)
        {
            lock (_pipe) _pending.Append(StageWatchdog.RecordedLine).Append('\t').Append(token).Append('\n');
        }

        private void Beat(TimeSpan every)
        {
            while (!_closing.Wait(every))
            {
                if (!_fresh()) continue; // holds that may have lapsed: the watchdog ends the stages
                if (!Send(string.Empty)) return;
            }
        }

        // One line to the watchdog (an empty one is a heartbeat); false once the pipe is gone.
        private bool Send(string line)
        {
            lock (_pipe)
            {
                var input = _process?.StandardInput;
                if (input is null) return false;
                try
                {
                    if (_pending.Length > 0)
                    {
                        input.Write(_pending.ToString());
                        _pending.Clear();
                    }
                    input.WriteLine(line);
                    input.Flush();
                    return true;
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { return false; }
            }
        }

        private ProcessStartInfo StartInfo()
        {
            var module = Path.GetDirectoryName(typeof(StageWatch).Assembly.Location) ?? ".";
            var program = Path.Combine(module, "watchdog", "BookBatch.Watchdog.dll");
            if (!File.Exists(program)) throw new FileNotFoundException($"'{program}' is missing from the module", program);
            var start = new ProcessStartInfo(DotnetHost()) { UseShellExecute = false, CreateNoWindow = true, RedirectStandardInput = true };
            var silence = _silence is TimeSpan s ? ((long)s.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0";
            CommandLine.SetArguments(start, new[] { program, Token, silence });
            return start;
        }

        // The dotnet host that runs this PowerShell (the .NET tool's pwsh, or the runtime found beside it), else the one
        // on PATH: the watchdog is a small .NET program that starts in a fraction of a second.
        private static string DotnetHost()
        {
            var candidates = new[]
            {
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
                Process.GetCurrentProcess().MainModule?.FileName,
                Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"),
                Environment.GetEnvironmentVariable("DOTNET_ROOT") is { } root ? Path.Combine(root, "dotnet") : null,
                "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet",
            };
            var found = candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && Path.GetFileName(c) == "dotnet" && File.Exists(c));
            return found ?? "dotnet";
        }

        /// <summary>Closes the watchdog's pipe: it ends whatever stage still carries the token, and exits.</summary>
        public void Dispose()
        {
            _closing.Set();
            _beats?.Join(TimeSpan.FromSeconds(5));
            lock (_gate)
            {
                if (_process is null) return;
                lock (_pipe)
                {
                    try
                    {
                        // The ends on record go first, so that the watchdog has no run folder to look at for them.
                        if (_pending.Length > 0) _process.StandardInput.Write(_pending.ToString());
                        _process.StandardInput.Close();
                    }
                    catch (IOException) { }
                }
                _process.WaitForExit(10_000);
                lock (_pipe)
                {
                    _process.Dispose();
                    _process = null;
                }
            }
        }
    }
}
