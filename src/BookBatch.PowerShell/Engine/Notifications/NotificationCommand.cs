using System;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Processes;
using BookBatch.Engine.Settings;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Notifications
{
    /// <summary>
    /// Runs a notification command: the executable with its argument array (never a shell), in the workspace, the summary
    /// as JSON on its standard input, and <c>BOOKBATCH_WORKSPACE</c>, <c>BOOKBATCH_BATCH_ID</c>, <c>BOOKBATCH_JOURNAL</c>
    /// set. Exit code 0 is sent. Its output is read and dropped (it is not BookBatch's to keep); past the time-out its
    /// process tree is ended.
    /// </summary>
    internal static class NotificationCommand
    {
        public static async Task<(NotificationResult, int?, string?)> RunAsync(NotificationTarget target, BatchEnd end, byte[] body, CancellationToken cancellation)
        {
            // A relative path is the workspace's, as a stage's is (.NET would look beside pwsh and in its current folder).
            var start = new ProcessStartInfo(CommandLine.Executable(target.Command!, end.Workspace))
            {
                UseShellExecute = false,
                CreateNoWindow = true,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = end.Workspace,
            };
            CommandLine.SetArguments(start, target.Arguments);
            start.Environment[Workspace.EnvironmentVariable] = end.Workspace;
            start.Environment["BOOKBATCH_BATCH_ID"] = end.Summary.BatchId ?? string.Empty;
            start.Environment["BOOKBATCH_JOURNAL"] = end.Journal;

            using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult(true);
            try { process.Start(); }
            catch (Exception e) when (e is Win32Exception or FileNotFoundException or InvalidOperationException)
            {
                return (NotificationResult.Failed, null, $"could not start '{target.Command}': {e.Message}");
            }
            var drained = Task.WhenAll(PipeReaders.Copy(process.StandardOutput, _ => { }), PipeReaders.Copy(process.StandardError, _ => { }));
            using (cancellation.Register(() => ProcessTree.Kill(process)))
            {
                await WriteInputAsync(process, body).ConfigureAwait(false);
                await exited.Task.ConfigureAwait(false);
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false); // a grandchild may hold the pipes
            }
            cancellation.ThrowIfCancellationRequested();
            var code = process.ExitCode;
            return code == 0 ? (NotificationResult.Sent, 0, null) : (NotificationResult.Failed, code, $"the command exited with code {code}");
        }

        // A command that does not read its input, or exits before it has read it all, is no failure of the write.
        private static async Task WriteInputAsync(Process process, byte[] body)
        {
            try
            {
                var input = process.StandardInput.BaseStream;
                await input.WriteAsync(body, 0, body.Length).ConfigureAwait(false);
                await input.FlushAsync().ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException) { }
            catch (ObjectDisposedException) { }
        }
    }
}
