using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace BookBatch.Tests.Hosting
{
    /// <summary>The project's real pwsh (the pinned .NET tool), started as <c>dotnet pwsh.dll</c>: a console host as an operator or a scheduled task has it.</summary>
    public static class Pwsh
    {
        /// <summary>The pinned pwsh.dll in the NuGet packages folder (after 'dotnet tool restore').</summary>
        public static readonly string Dll = Find();

        /// <summary>
        /// Starts pwsh with <paramref name="args"/>, output and errors redirected (as a scheduled task's log), with the
        /// staged module on PSModulePath; <paramref name="ownGroup"/> makes it the leader of a process group of its own,
        /// as a terminal makes its foreground job (Unix: through setsid).
        /// </summary>
        public static Process Start(string workingDirectory, bool ownGroup, params string[] args) => Start(workingDirectory, ownGroup, null, args);

        /// <summary>The same, with an environment variable set for the child (<paramref name="variable"/>: name and value).</summary>
        public static Process Start(string workingDirectory, bool ownGroup, (string Name, string Value)? variable, params string[] args)
        {
            var start = new ProcessStartInfo(ownGroup ? "setsid" : "dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                WorkingDirectory = workingDirectory,
            };
            if (ownGroup) start.ArgumentList.Add("dotnet");
            start.ArgumentList.Add(Dll);
            foreach (var arg in args) start.ArgumentList.Add(arg);
            start.Environment["PSModulePath"] = Path.GetDirectoryName(ModuleAssembly.StagedModule) + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath");
            if (variable is var (name, value)) start.Environment[name] = value;
            return Process.Start(start)!;
        }

        private static string Find()
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModuleAssembly.RepositoryRoot, ".config", "dotnet-tools.json")));
            var version = doc.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages)) packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "powershell", version, "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        }
    }
}
