using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Module
{
    /// <summary>
    /// Tab completion of values the workspace knows (stage names, titles, batch ids): the workspace is the one the command would use
    /// (-Workspace as typed so far, else $env:BOOKBATCH_WORKSPACE, else the current location). A workspace that cannot be
    /// read completes nothing: completion never shows an error.
    /// </summary>
    public abstract class WorkspaceCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = WildcardPattern.Get(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
            try
            {
                var workspace = Find(fakeBoundParameters);
                if (workspace is null || !workspace.Exists) return Array.Empty<CompletionResult>();
                return Names(workspace).Where(n => pattern.IsMatch(n)).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n)).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SettingsInvalidException or LedgerCorruptException
                                           or WorkspaceLockedException or RuntimeException)
            {
                return Array.Empty<CompletionResult>();
            }
        }

        /// <summary>The values to offer, in the order to offer them.</summary>
        protected abstract IEnumerable<string> Names(Workspace workspace);

        private static Workspace? Find(IDictionary fakeBoundParameters)
        {
            var chosen = fakeBoundParameters?["Workspace"] as string;
            if (string.IsNullOrEmpty(chosen)) chosen = Environment.GetEnvironmentVariable(Workspace.EnvironmentVariable);
            // The session's own location and path rules, asked of the runspace completing (as the cmdlet asks its SessionState).
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddScript("param($w) if ($w) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($w) } " +
                            "else { (Get-Location -PSProvider FileSystem).ProviderPath }").AddArgument(chosen);
            var path = shell.Invoke().Select(o => o?.BaseObject as string).FirstOrDefault();
            return string.IsNullOrEmpty(path) ? null : new Workspace(path!);
        }

        // A value as it must be typed: quoted (single quotes doubled) when it holds anything but letters, digits, - and _.
        private static string Quote(string value) =>
            value.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_') ? value : "'" + value.Replace("'", "''") + "'";
    }
}
