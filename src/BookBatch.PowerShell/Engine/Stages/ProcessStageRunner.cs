using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Processes;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// Runs a Command stage: the executable with its argument array (never a shell), the book in BOOKBATCH_*
    /// variables, the run folder as working directory, both streams into the stage's log. A time-out or a
    /// cancellation ends the whole process tree.
    /// </summary>
    public sealed class ProcessStageRunner : IStageRunner
    {
        /// <summary>How long to wait for a killed tree to be gone before giving up on it.</summary>
        private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

        // The host's environment when the runner was made (a batch makes one as it begins): every stage process gets
        // it, with its BOOKBATCH_* variables, whatever a script stage changes in the host's environment meanwhile.
        private readonly KeyValuePair<string, string>[] _environment;

        // The host's stage watchdog, started before its first stage; null where the system needs none.
        private readonly IStageWatch? _watch;

        /// <summary>A runner whose stages carry <paramref name="watch"/>'s token, so that its watchdog can end them when the host dies.</summary>
        public ProcessStageRunner(IStageWatch? watch = null)
        {
            _watch = watch;
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? string.Empty));
            if (watch != null) environment = environment.Append(new KeyValuePair<string, string>(ProcessIdentity.WatchTokenVariable, watch.Token));
            _environment = environment.ToArray();
        }

        // Start descriptions, kept for the next attempts of the batch: a new one copies the whole environment (tens of
        // variables) at every start, the largest part of what a short stage costs BookBatch. One start at a time uses
        // each, so stages of several books still start side by side.
        private readonly ConcurrentBag<ProcessStartInfo> _starts = new();

        /// <inheritdoc />
        public async Task<StageOutcome> RunAsync(StageInvocation invocation, CancellationToken cancellation)
        {
            if (_watch?.EnsureStarted() is { } unwatched && _watch.Required)
            {
                // On a store shared by servers a stage without its watchdog could outlive its host unseen by the others.
                using var refused = StageLog.Open(invocation);
                refused.Note(unwatched);
                return new StageOutcome(StageResult.Failed, null, unwatched + "; on a store shared by servers no stage starts without it");
            }
            var start = StartOf(invocation);
            using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            // The exit is raised on a pool thread, which then goes on with the attempt itself: handing it to another
            // thread would cost every stage a wake-up.
            var exited = new TaskCompletionSource<bool>();
            process.Exited += (_, _) =>
            {
                invocation.NotifyEnded();
                exited.TrySetResult(true);
            };
            try
            {
                cancellation.ThrowIfCancellationRequested();
                invocation.NotifyLaunching();
                if (_watch != null)
                {
                    _watch.Watch(invocation);
                    invocation.WhenRecorded(() => _watch.Recorded(invocation.AttemptToken));
                }
                process.Start();
            }
            catch (Exception e) when (e is Win32Exception or FileNotFoundException or InvalidOperationException)
            {
                var error = $"could not start '{start.FileName}': {e.Message}";
                using var failed = StageLog.Open(invocation);
                failed.Note(error);
                return new StageOutcome(StageResult.Failed, null, error);
            }
            finally
            {
                _starts.Add(start); // read by the start alone: the next attempt may change it
            }
            // On Windows a host killed outright (no Ctrl+C, no clean-up) takes this tree with it; a refusal changes nothing.
            StageJob.Assign(process);
            // The process's identity is recorded first, then its output read; should either fail, the process must not
            // go on unseen.
            StageLog? log = null;
            Task streamsClosed;
            try
            {
                invocation.NotifyStarted(ProcessIdentity.Of(process));
                log = StageLog.Open(invocation);
                process.StandardInput.Close(); // a stage that reads its input gets end-of-file, not a hang
                streamsClosed = Task.WhenAll(PipeReaders.Copy(process.StandardOutput, log.Output), PipeReaders.Copy(process.StandardError, log.Error));
            }
            catch (Exception)
            {
                ProcessTree.Kill(process);
                log?.Dispose();
                throw;
            }
            using var ownedLog = log;

            using var timeout = new CancellationTokenSource(invocation.Stage.Timeout);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
            var stopped = Task.Delay(Timeout.Infinite, either.Token);
            // Never a blocking wait here: a batch runs many stages at once, and pool threads deliver their exits.
            if (await Task.WhenAny(exited.Task, stopped).ConfigureAwait(false) != exited.Task)
            {
                ProcessTree.Kill(process);
                await Task.WhenAny(Task.WhenAll(exited.Task, streamsClosed), Task.Delay(KillGrace)).ConfigureAwait(false);
                var canceled = cancellation.IsCancellationRequested;
                var why = canceled ? "stopped: the batch was interrupted" : $"timed out after {invocation.Stage.Timeout.TotalSeconds:0.#} s";
                log.Note(why + "; its process tree was ended");
                return new StageOutcome(canceled ? StageResult.Canceled : StageResult.TimedOut, null, why);
            }
            // The streams may still hold the last lines; a leftover grandchild keeping them open must not hang us.
            if (!streamsClosed.IsCompleted) await Task.WhenAny(streamsClosed, Task.Delay(KillGrace)).ConfigureAwait(false);
            var code = process.ExitCode;
            if (code == 0) log.Success("exited with code 0");
            else log.Note($"exited with code {code}");
            return code == 0
                ? new StageOutcome(StageResult.Succeeded, 0, null)
                : new StageOutcome(StageResult.Failed, code, log.FailureReason($"exit code {code}"));
        }

        // A kept start description (else a new one) made this attempt's: its executable, folder, arguments and the
        // BOOKBATCH_* variables, over the batch's environment.
        private ProcessStartInfo StartOf(StageInvocation invocation)
        {
            if (!_starts.TryTake(out var start))
            {
                start = new ProcessStartInfo
                {
                    UseShellExecute = false,
                    CreateNoWindow = true,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                start.Environment.Clear();
                foreach (var pair in _environment) start.Environment[pair.Key] = pair.Value;
            }
            start.FileName = CommandLine.Executable(invocation.Stage.Target, invocation.Workspace);
            start.WorkingDirectory = invocation.RunFolder;
            CommandLine.SetArguments(start, invocation.Stage.Arguments.Select(a => Placeholders.Fill(a, invocation.Placeholder)));
            foreach (var pair in invocation.Environment) start.Environment[pair.Key] = pair.Value;
            return start;
        }
    }
}
