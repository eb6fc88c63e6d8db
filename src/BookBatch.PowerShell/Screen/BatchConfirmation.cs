using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace BookBatch.Screen
{
    /// <summary>
    /// The one question of a batch, "Proceed with batch processing? [y/N]": asked once, after
    /// the plan, default No. Only a session that can answer is asked (docs/DECISIONS.md, "Which sessions are asked").
    /// </summary>
    internal static class BatchConfirmation
    {
        private static readonly string[] ScriptParameters = { "f", "file", "c", "command", "e", "ec", "encodedcommand" };

        /// <summary>
        /// True when the session can answer a question: the console host of a pwsh (or powershell.exe) started without
        /// -NonInteractive whose input is the keyboard, or another host with a user interface (VS Code, ISE, an
        /// application's own). A host without a UI, or a console whose input is redirected (a scheduled task, a pipe), cannot.
        /// </summary>
        public static bool CanAsk(PSHost? host)
        {
            if (host?.UI is null) return false;
            return host.Name switch
            {
                "ConsoleHost" => !StartedNonInteractive() && !Console.IsInputRedirected,
                "Default Host" => false,
                _ => true,
            };
        }

        /// <summary>Asks; true for Yes, false for No, null when the host turned out to be unable to ask.</summary>
        public static bool? Ask(PSHost host, string message)
        {
            var choices = new Collection<ChoiceDescription>
            {
                new("&Yes", "Run the batch."),
                new("&No", "Stop here: nothing runs and nothing is recorded."),
            };
            try { return host.UI.PromptForChoice("Invoke-BookBatch", message, choices, 1) == 0; }
            catch (Exception e) when (e is HostException or PSInvalidOperationException or NotImplementedException or PSNotImplementedException)
            {
                return null;
            }
        }

        // pwsh's own parameters come before -File or -Command (what follows belongs to the script); -NonInteractive may be
        // shortened to -noni, with - or / (Windows PowerShell) in front.
        private static bool StartedNonInteractive()
        {
            foreach (var arg in Environment.GetCommandLineArgs().Skip(1))
            {
                var name = arg.TrimStart('-', '/');
                if (name.Length == arg.Length) continue;
                if (ScriptParameters.Contains(name, StringComparer.OrdinalIgnoreCase)) return false;
                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase)) return true;
            }
            return false;
        }
    }
}
