using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Stages;

namespace BookBatch.Module
{
    /// <summary>
    /// Runs a Script stage: the .ps1 file in a runspace of its own, with the book as <c>$BookBatch</c> (Title,
    /// Author, RunFolder, Privacy, Stage, Attempt, OutputsPath, Workspace) and as parameters of those names when the
    /// script declares them. Environment variables are the process's, shared by every runspace, so a script stage
    /// does not get BOOKBATCH_* variables: that is what keeps books apart when several run at once.
    /// It fails on a terminating error or a non-zero <c>exit</c>; a time-out or a stop stops the script, and
    /// PowerShell ends the native command it is running.
    /// </summary>
    internal sealed class ScriptStageRunner : IStageRunner
    {
        private const string Bootstrap = @"
param($Script, $Book)
$global:LASTEXITCODE = 0
$command = $ExecutionContext.InvokeCommand.GetCommand($Script, 'ExternalScript')
$arguments = @{}
foreach ($name in 'Title', 'Author', 'RunFolder', 'Privacy', 'Stage', 'Attempt', 'OutputsPath', 'Workspace', 'IdempotencyKey') {
    if ($command.Parameters.ContainsKey($name)) { $arguments[$name] = $Book.$name }
}
& $command @arguments
";

        public Task<StageOutcome> RunAsync(StageInvocation invocation, CancellationToken cancellation) =>
            Task.Factory.StartNew(() => Run(invocation, cancellation), cancellation, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private static StageOutcome Run(StageInvocation invocation, CancellationToken cancellation)
        {
            using var log = StageLog.Open(invocation);
            invocation.NotifyStarted();
            var state = InitialSessionState.CreateDefault2();
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            using var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(invocation.RunFolder));
            var book = new PSObject();
            book.Properties.Add(new PSNoteProperty("Title", invocation.Book.Title));
            book.Properties.Add(new PSNoteProperty("Author", invocation.Book.Author ?? string.Empty));
            book.Properties.Add(new PSNoteProperty("RunFolder", invocation.RunFolder));
            book.Properties.Add(new PSNoteProperty("Privacy", invocation.Privacy));
            book.Properties.Add(new PSNoteProperty("Stage", invocation.Stage.Name));
            book.Properties.Add(new PSNoteProperty("Attempt", invocation.Attempt));
            book.Properties.Add(new PSNoteProperty("OutputsPath", invocation.OutputsPath));
            book.Properties.Add(new PSNoteProperty("Workspace", invocation.Workspace));
            book.Properties.Add(new PSNoteProperty("IdempotencyKey", invocation.IdempotencyKey));
            runspace.SessionStateProxy.SetVariable("BookBatch", book);

            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(Bootstrap).AddArgument(invocation.Stage.Target).AddArgument(book);
            var output = new PSDataCollection<PSObject>();
            output.DataAdded += (_, e) => log.Output(output[e.Index]?.ToString());
            ps.Streams.Error.DataAdded += (_, e) => log.Error(ps.Streams.Error[e.Index].ToString());
            ps.Streams.Warning.DataAdded += (_, e) => log.Output("WARNING: " + ps.Streams.Warning[e.Index].Message);
            ps.Streams.Verbose.DataAdded += (_, e) => log.Output("VERBOSE: " + ps.Streams.Verbose[e.Index].Message);
            ps.Streams.Information.DataAdded += (_, e) => log.Output(ps.Streams.Information[e.Index].MessageData?.ToString());

            using var timeout = new CancellationTokenSource(invocation.Stage.Timeout);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
            using var stop = either.Token.Register(() => ps.BeginStop(null, null));
            string? failure = null;
            try
            {
                ps.Invoke<PSObject>(null, output);
            }
            catch (PipelineStoppedException) { }
            catch (RuntimeException e)
            {
                failure = e.ErrorRecord?.ToString() ?? e.Message;
                log.Error(failure);
            }
            if (either.IsCancellationRequested)
            {
                var canceled = cancellation.IsCancellationRequested;
                var why = canceled ? "stopped: the batch was interrupted" : $"timed out after {invocation.Stage.Timeout.TotalSeconds:0.#} s";
                log.Note(why + "; the script was stopped");
                return new StageOutcome(canceled ? StageResult.Canceled : StageResult.TimedOut, null, why);
            }
            if (failure != null)
            {
                log.Note("failed with a terminating error");
                return new StageOutcome(StageResult.Failed, null, failure);
            }
            var code = ExitCode(runspace.SessionStateProxy.GetVariable("LASTEXITCODE"));
            if (code == 0) log.Success("finished with exit code 0");
            else log.Note($"finished with exit code {code}");
            return code == 0 ? new StageOutcome(StageResult.Succeeded, 0, null) : new StageOutcome(StageResult.Failed, code, log.FailureReason($"exit code {code}"));
        }

        private static int ExitCode(object? value)
        {
            if (value is PSObject pso) value = pso.BaseObject;
            return value is IConvertible convertible ? convertible.ToInt32(System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
    }
}
