using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A holder process (<see cref="Program"/>): its lines, and the signals a test sends it. Disposing resumes it if it was
    /// stopped and kills it, so no process is left behind, stopped or running.
    /// </summary>
    public sealed class HolderProcess : IDisposable
    {
        private const int SIGKILL = 9;
        private const int SIGCONT = 18;
        private const int SIGSTOP = 19;

        private readonly Process _process;

        public HolderProcess(Process process)
        {
            _process = process;
            _ = _process.StandardError.ReadToEndAsync();
        }

        public int Id => _process.Id;

        /// <summary>The next line it prints, or a failure after <paramref name="seconds"/>.</summary>
        public string ReadLine(double seconds = 60)
        {
            var line = _process.StandardOutput.ReadLineAsync();
            if (!line.Wait(TimeSpan.FromSeconds(seconds))) throw new TimeoutException($"holder {Id} printed nothing in {seconds} s");
            return line.Result ?? throw new InvalidOperationException($"holder {Id} ended (exit {(_process.HasExited ? _process.ExitCode : -1)})");
        }

        public void Tell(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        public void Kill() => Signal(SIGKILL);
        public void Freeze() => Signal(SIGSTOP);
        public void Resume() => Signal(SIGCONT);

        private void Signal(int signal)
        {
            if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    kill(_process.Id, SIGCONT);
                    _process.Kill();
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);
    }
}
