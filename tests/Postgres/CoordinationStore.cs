using System;
using BookBatch.Engine.Coordination;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Settings;
using BookBatch.Tests.Hosting;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A migrated database of the test server and a bookbatch.json of three stages — <c>upload</c> (concurrency 1),
    /// <c>narrate</c> (concurrency 2) and <c>rated</c> (rate 2 a minute) — for holders in this process and in holder
    /// processes (<see cref="Program"/>).
    /// </summary>
    public sealed class CoordinationStore : IDisposable
    {
        private readonly PostgresServer _server;
        private readonly string _folder;
        private readonly List<IDisposable> _opened = new();

        /// <summary>For places taken without run folders: no attempt left in a place is ever recorded over.</summary>
        public static bool NoRunFolders(string stage, StageAttemptMark attempt) => false;

        public CoordinationStore(PostgresServer server, string rate = "{\"starts\": 2, \"perSeconds\": 60}")
        {
            _server = server;
            Database = server.NewDatabase();
            Settings = new PostgresSettings("127.0.0.1", server.Port, Database, PostgresServer.UserName, null);
            PostgresLibrary.Open(Settings, server.Password, "test").Migrate(CancellationToken.None);
            _folder = Path.Combine(Path.GetTempPath(), "bookbatch-pgco-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_folder);
            SettingsPath = Path.Combine(_folder, "bookbatch.json");
            File.WriteAllText(SettingsPath, "{\"stages\": [{\"name\": \"upload\", \"command\": \"true\", \"concurrency\": 1}, " +
                "{\"name\": \"narrate\", \"command\": \"true\", \"concurrency\": 2}, {\"name\": \"rated\", \"command\": \"true\", \"rate\": " + rate + "}]}");
            Stages = PipelineSettings.Load(SettingsPath, _folder).Stages;
        }

        public string Database { get; }
        public PostgresSettings Settings { get; }
        public string SettingsPath { get; }
        public IReadOnlyList<StageSettings> Stages { get; }

        public StageSettings Stage(string name) => Stages.Single(s => s.Name == name);

        /// <summary>A holder's coordination in this process (its own session), closed with the store.</summary>
        public IPostgresCoordination Open(double leaseSeconds = 30)
        {
            var coordination = PostgresLibrary.OpenCoordination(Settings, _server.Password, "test", TimeSpan.FromSeconds(leaseSeconds));
            lock (_opened) _opened.Add(coordination);
            return coordination;
        }

        public IPostgresLedger Ledger() => PostgresLibrary.OpenLedger(Settings, _server.Password, "test");

        /// <summary>
        /// Starts a holder process for <paramref name="book"/>, which begins at <paramref name="startAt"/> (now when null), in
        /// <paramref name="network"/> when given (it reaches the server at the namespace's host address).
        /// </summary>
        public HolderProcess StartHolder(string book, double leaseSeconds, DateTimeOffset? startAt = null, NetworkNamespace? network = null)
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { typeof(Program).Assembly.Location, "holder", SettingsPath, Database, _server.Port.ToString(),
                         leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), book, (startAt ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString() })
                start.ArgumentList.Add(arg);
            start.Environment[Program.PasswordVariable] = _server.Password;
            if (network != null)
            {
                start.Environment[Program.HostVariable] = network.HostAddress;
                network.Wrap(start);
            }
            var holder = new HolderProcess(Process.Start(start)!);
            lock (_opened) _opened.Add(holder);
            return holder;
        }

        /// <summary>Waits until <paramref name="ready"/> gives a value, looking every 50 ms; the value and how long it took (null: not within <paramref name="limit"/>).</summary>
        public static (T? Value, TimeSpan Took) Until<T>(Func<T?> ready, TimeSpan limit) where T : class
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < limit)
            {
                if (ready() is T value) return (value, clock.Elapsed);
                Thread.Sleep(50);
            }
            return (null, clock.Elapsed);
        }

        public void Dispose()
        {
            lock (_opened)
                for (var i = _opened.Count - 1; i >= 0; i--) _opened[i].Dispose();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }
}
