using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A throwaway PostgreSQL server for the run: initdb in a temporary folder (as the postgres user when the tests run as
    /// root, since initdb refuses root), started on a free loopback port without fsync, stopped and removed at the end
    /// whatever the tests gave. Shared by the PostgreSQL tests and the benchmarks (linked into both).
    /// </summary>
    public sealed class PostgresServer : IDisposable
    {
        /// <summary>The test superuser.</summary>
        public const string UserName = "bookbatch_test";

        private readonly string _folder;
        private readonly string _bin;
        private readonly string _data;
        private readonly string _listen = "127.0.0.1";
        private int _databases;

        public PostgresServer() : this(null) { }

        /// <summary>
        /// A server that also listens on <paramref name="address"/>, an address of this machine's (a
        /// <see cref="NetworkNamespace"/>'s host address, a service address), and lets <paramref name="clients"/> log in
        /// (networks such as <c>10.213.0.0/16</c>).
        /// </summary>
        public static PostgresServer AlsoOn(string address, params string[] clients) => new(address, clients);

        private PostgresServer(string? alsoOn, params string[] clients)
        {
            _bin = FindBin() ?? throw new InvalidOperationException("No PostgreSQL server found (apt-get install postgresql).");
            _folder = Path.Combine(Path.GetTempPath(), "bookbatch-pg-" + Guid.NewGuid().ToString("N")[..8]);
            _data = Path.Combine(_folder, "data");
            Directory.CreateDirectory(_folder);
            Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            var passwordFile = Path.Combine(_folder, "password");
            File.WriteAllText(passwordFile, Password + "\n");
            if (IsRoot) Run("chown", "-R", "postgres:postgres", _folder);
            Port = FreePort();
            try
            {
                Server("initdb", "--no-sync", "-A", "scram-sha-256", "-U", UserName, "--pwfile", passwordFile, "-D", _data);
                foreach (var network in clients)
                    File.AppendAllText(Path.Combine(_data, "pg_hba.conf"), $"host all all {network} scram-sha-256\n");
                _listen = alsoOn is null ? "127.0.0.1" : "127.0.0.1," + alsoOn;
                Server("pg_ctl", "-D", _data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o", Options, "start");
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        /// <summary>The folder of initdb and pg_ctl (the newest installed version), or null without PostgreSQL.</summary>
        public static string? FindBin() =>
            Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                    .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
                : null;

        /// <summary>The test superuser's password.</summary>
        public string Password { get; }

        /// <summary>The server's loopback port.</summary>
        public int Port { get; }

        /// <summary>A connection string to <paramref name="database"/> as the test superuser.</summary>
        public string ConnectionString(string database = "postgres") =>
            $"Host=127.0.0.1;Port={Port};Database={database};Username={UserName};Password={Password};Pooling=false";

        /// <summary>A new empty database for one test (createdb over the server's own socket folder).</summary>
        public string NewDatabase()
        {
            var name = $"bookbatch_{System.Threading.Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..6]}";
            Server("createdb", "-h", _folder, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", UserName, "-w", name);
            return name;
        }

        /// <summary>Restarts the server (a fast shutdown: every session is ended), as an operator's restart or a failover does.</summary>
        public void Restart() => Server("pg_ctl", "-D", _data, "-m", "fast", "-w", "-t", "60", "restart", "-l", Path.Combine(_folder, "server.log"), "-o", Options);

        private string Options => $"-p {Port} -c listen_addresses={_listen} -c fsync=off -c unix_socket_directories={_folder}";

        public void Dispose()
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
                try { Server("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop"); } catch (InvalidOperationException) { }
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private static bool IsRoot => Environment.UserName == "root";

        // A PostgreSQL program, as the postgres user when the tests run as root; a client logs in with the password.
        private void Server(string program, params string[] args)
        {
            var path = Path.Combine(_bin, program);
            if (IsRoot) Run("runuser", new[] { "-u", "postgres", "--", "env", "PGPASSWORD=" + Password, path }.Concat(args).ToArray());
            else Run("env", new[] { "PGPASSWORD=" + Password, path }.Concat(args).ToArray());
        }

        /// <summary>Runs a program to its end; a failure is an exception with what it printed.</summary>
        internal static void Run(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output.Result}");
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
