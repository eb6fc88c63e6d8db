using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BookBatch.Tests.Hosting
{
    /// <summary>What one pipeline wrote: its objects, its non-terminating errors, and the terminating one if any.</summary>
    public sealed class PipelineResult
    {
        public PipelineResult(Collection<PSObject> output, IReadOnlyList<ErrorRecord> errors, ErrorRecord? terminating)
        {
            Output = output;
            Errors = errors;
            Terminating = terminating;
        }

        public Collection<PSObject> Output { get; }
        public IReadOnlyList<ErrorRecord> Errors { get; }
        public ErrorRecord? Terminating { get; }

        /// <summary>Every error id, non-terminating then terminating, without the cmdlet suffix.</summary>
        public IEnumerable<string> ErrorIds =>
            Errors.Concat(Terminating is null ? Array.Empty<ErrorRecord>() : new[] { Terminating })
                  .Select(e => e.FullyQualifiedErrorId.Split(',')[0]);

        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();

        public PipelineResult Succeeded()
        {
            if (Terminating != null) throw new Xunit.Sdk.XunitException("Terminating error: " + Terminating);
            if (Errors.Count > 0) throw new Xunit.Sdk.XunitException("Errors: " + string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
            return this;
        }
    }

    /// <summary>
    /// A PowerShell session as a user has it: the default engine, the staged module imported from out/BookBatch, a
    /// console-like host, and a fresh temporary folder as the current location (the workspace).
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;
        private readonly StringWriter _screen = new();

        public PowerShellSession(bool createWorkspaceFolder = true)
        {
            Folder = Path.Combine(Path.GetTempPath(), "bookbatch-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
            if (createWorkspaceFolder) Directory.CreateDirectory(Folder);
            else Directory.CreateDirectory(Path.GetDirectoryName(Folder)!);
            Host = new TextHost(_screen);
            Host.Screen.PlainText = true;
            var state = InitialSessionState.CreateDefault2();
            _runspace = RunspaceFactory.CreateRunspace(Host, state);
            _runspace.Open();
            Run("Import-Module -Name $args[0] -ErrorAction Stop", ModuleAssembly.Manifest).Succeeded();
            // The test host cannot answer a question, as a scheduled task cannot: its batches run as a scheduled task's
            // do, with -Confirm:$false. The tests of the batch's confirmation take this default away.
            Run("$PSDefaultParameterValues['Invoke-BookBatch:Confirm'] = $false").Succeeded();
            if (createWorkspaceFolder) _runspace.SessionStateProxy.Path.SetLocation(Folder);
        }

        /// <summary>The temporary folder this session works in (its current location).</summary>
        public string Folder { get; }

        public TextHost Host { get; }

        /// <summary>The screen as a user reads it (plain text, as in a log).</summary>
        public string ScreenText => _screen.ToString();

        public Runspace Runspace => _runspace;

        /// <summary>A path inside the session's folder.</summary>
        public string PathOf(params string[] parts) => Path.Combine(new[] { Folder }.Concat(parts).ToArray());

        /// <summary>Runs a script as a user types it; <paramref name="args"/> become $args.</summary>
        public PipelineResult Run(string script, params object?[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (var arg in args) ps.AddArgument(arg);
            return Invoke(ps);
        }

        /// <summary>
        /// Runs a command inside try/catch and returns the error it threw: proof that the error was terminating
        /// (a non-terminating one is not caught, and the command's next statement runs).
        /// </summary>
        public ErrorRecord? Throws(string command)
        {
            var result = Run("try { " + command + "; 'went on' } catch { $_ }");
            return result.Output.Select(o => o.BaseObject).OfType<ErrorRecord>().SingleOrDefault();
        }

        /// <summary>Runs a pipeline with input objects, like <c>$input | command</c>.</summary>
        public PipelineResult RunWithInput(string script, IEnumerable<object> input)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            return Invoke(ps, input);
        }

        private static PipelineResult Invoke(PowerShell ps, IEnumerable<object>? input = null)
        {
            Collection<PSObject> output;
            ErrorRecord? terminating = null;
            try
            {
                output = input is null ? ps.Invoke() : ps.Invoke(input);
            }
            catch (RuntimeException e)
            {
                output = new Collection<PSObject>();
                terminating = e.ErrorRecord;
            }
            return new PipelineResult(output, ps.Streams.Error.ToList(), terminating);
        }

        public void Dispose()
        {
            _runspace.Dispose();
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
