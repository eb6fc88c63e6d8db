using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace BookBatch.Host
{
    /// <summary>
    /// <c>bookbatch-host -Command "..."</c> or <c>bookbatch-host -File script.ps1 [arguments]</c>: runs PowerShell with the staged
    /// BookBatch module imported, for machines that have .NET but no pwsh. The engine has PowerShell's core cmdlets
    /// only (no Get-Content): use <c>Invoke-BookBatch -Path</c> and <c>Get-BookStatus</c>, which need nothing else.
    /// </summary>
    public static class Program
    {
        /// <summary>Runs the command; exits 1 when it wrote an error, 2 on bad usage.</summary>
        public static int Main(string[] args)
        {
            if (args.Length < 2 || (args[0] != "-Command" && args[0] != "-File") || (args[0] == "-Command" && args.Length != 2))
            {
                Console.Error.WriteLine("usage: bookbatch-host -Command \"<PowerShell>\" | -File <script.ps1> [arguments]");
                return 2;
            }
            var manifest = FindStagedModule();
            if (manifest is null)
            {
                Console.Error.WriteLine("The staged module out/BookBatch was not found above " + AppContext.BaseDirectory + ". Build first: dotnet build BookBatch.sln -c Release");
                return 2;
            }
            var script = args[0] == "-File" ? File.ReadAllText(args[1]) : args[1];
            // Colour escapes are for terminals; a log file or a pipe gets plain text, as with pwsh.
            var host = new TextHost(Console.Out);
            host.Screen.PlainText = Console.IsOutputRedirected;
            using var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(manifest).AddStatement();
            ps.AddScript(script);
            for (var i = 2; i < args.Length; i++) ps.AddArgument(args[i]);
            ps.AddCommand("Out-Default");
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; ps.BeginStop(null, null); };
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                Console.Error.WriteLine(e.ErrorRecord.ToString());
                return 1;
            }
            foreach (var error in ps.Streams.Error) Console.Error.WriteLine(error.ToString());
            return host.ExitCode ?? (ps.HadErrors ? 1 : 0);
        }

        private static string? FindStagedModule()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "out", "BookBatch", "BookBatch.psd1");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}
