using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using BookBatch.Tests.Hosting;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A workspace whose bookbatch.json names a database of the test server, and the project's pwsh running store
    /// commands in it with the staged module, as an operator would; each command's outcome comes back as JSON.
    /// </summary>
    public sealed class StoreSession : IDisposable
    {
        /// <summary>The environment variable the workspace's store.passwordVariable names.</summary>
        public const string PasswordVariable = "BOOKBATCH_TEST_PGPASSWORD";

        // Runs a command and writes one JSON line: its output's schema fields and its whole output object (result), or its
        // error's id, category, target and message.
        private const string Outcome = @"
try {{
    $r = {0} -ErrorAction Stop
    @{{ ok = $true; version = $r.Version; latest = $r.LatestVersion; applied = @($r.Applied); result = $r }} | ConvertTo-Json -Compress
}} catch {{
    @{{ ok = $false; id = $_.FullyQualifiedErrorId; category = ""$($_.CategoryInfo.Category)""; target = ""$($_.TargetObject)""; message = $_.Exception.Message }} | ConvertTo-Json -Compress
}}";

        private readonly string _password;

        public StoreSession(PostgresServer server, string database, int? port = null, string? password = null, string kind = "postgres")
        {
            _password = password ?? server.Password;
            Workspace = Path.Combine(Path.GetTempPath(), "bookbatch-pgws-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(Workspace);
            File.WriteAllText(Path.Combine(Workspace, "bookbatch.json"), JsonSerializer.Serialize(new
            {
                store = new { kind, host = "127.0.0.1", port = port ?? server.Port, database, userName = PostgresServer.UserName, passwordVariable = PasswordVariable },
            }));
        }

        /// <summary>The workspace folder.</summary>
        public string Workspace { get; }

        /// <summary>The path of <paramref name="name"/> in the workspace.</summary>
        public string PathOf(string name) => Path.Combine(Workspace, name);

        /// <summary>Runs <paramref name="command"/> (e.g. <c>Update-BookBatchStore -Confirm:$false</c>) in the workspace; <paramref name="before"/> runs first.</summary>
        public JsonElement Run(string command, string before = "") => Read(Start(command, before));

        /// <summary>
        /// Starts <paramref name="command"/> without waiting; <see cref="Read"/> gives its outcome. With
        /// <paramref name="ownServer"/> it runs in a PID namespace of its own (<see cref="PidNamespace"/>).
        /// </summary>
        public Process Start(string command, string before = "", bool ownServer = false)
        {
            var script = before + "\nImport-Module BookBatch -ErrorAction Stop\nSet-Location -LiteralPath '" + Workspace.Replace("'", "''") + "'\n"
                         + string.Format(Outcome, command);
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Workspace };
            foreach (var arg in new[] { Pwsh.Dll, "-NoProfile", "-NonInteractive", "-Command", script }) start.ArgumentList.Add(arg);
            start.Environment["PSModulePath"] = Path.GetDirectoryName(ModuleAssembly.StagedModule) + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath");
            start.Environment[PasswordVariable] = _password;
            start.Environment["PGPASSFILE"] = Path.Combine(Workspace, "no-pgpass");
            if (ownServer) PidNamespace.Wrap(start);
            return Process.Start(start)!;
        }

        /// <summary>Waits for <paramref name="process"/> and reads its outcome line.</summary>
        public static JsonElement Read(Process process)
        {
            using (process)
            {
                var error = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(120_000)) process.Kill(entireProcessTree: true);
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (lines.Length == 0 || !lines[^1].StartsWith('{'))
                    throw new InvalidOperationException($"pwsh gave no outcome (exit {process.ExitCode}): {output} {error.Result}");
                return JsonDocument.Parse(lines[^1]).RootElement.Clone();
            }
        }

        public void Dispose()
        {
            try { Directory.Delete(Workspace, recursive: true); } catch (IOException) { }
        }
    }
}
