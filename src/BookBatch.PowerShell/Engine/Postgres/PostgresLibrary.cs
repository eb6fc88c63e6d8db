using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// Loads <c>BookBatch.Postgres.dll</c> with Npgsql and its dependencies from the module's <c>postgres/</c> folder, the
    /// first time a PostgreSQL store is used and never before, so that importing the module stays as fast as without it.
    /// PowerShell 7: into a load context of its own, so another module's older Microsoft.Extensions.Logging.Abstractions
    /// cannot break Npgsql; Windows PowerShell 5.1: through an AssemblyResolve handler for that folder
    /// (docs/DECISIONS.md, "The PostgreSQL store").
    /// </summary>
    public static class PostgresLibrary
    {
        private const string AssemblyName = "BookBatch.Postgres";
        private const string SchemaType = "BookBatch.Postgres.PostgresSchema";
        private const string LedgerType = "BookBatch.Postgres.PostgresLedgerStore";
        private const string CoordinationType = "BookBatch.Postgres.PostgresCoordination";

        /// <summary>How long a frozen or cut-off holder keeps its claims and places by default (docs/DECISIONS.md).</summary>
        public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

        private static readonly object Gate = new();
        private static Assembly? _loaded;

        /// <summary>The folder the PostgreSQL assemblies are staged in, beside the module's assembly.</summary>
        public static string Folder { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(PostgresLibrary).Assembly.Location) ?? ".", "postgres");

        /// <summary>
        /// The schema of the store <paramref name="settings"/> names, logging in with <paramref name="password"/> (null: the
        /// driver's pgpass file, or none); <paramref name="passwordSource"/> says where it came from, for the messages.
        /// </summary>
        public static IPostgresSchema Open(PostgresSettings settings, string? password, string passwordSource) =>
            Create<IPostgresSchema>(SchemaType, settings, password, passwordSource);

        /// <summary>The ledger of the store <paramref name="settings"/> names, logging in as <see cref="Open"/> does.</summary>
        public static IPostgresLedger OpenLedger(PostgresSettings settings, string? password, string passwordSource) =>
            Create<IPostgresLedger>(LedgerType, settings, password, passwordSource);

        /// <summary>
        /// The coordination of one holder (this process's batch) on the store <paramref name="settings"/> names: its own
        /// session, opened now, whose claims and places a frozen or cut-off holder keeps for <paramref name="lease"/> at most
        /// (<see cref="DefaultLease"/> when null).
        /// </summary>
        public static IPostgresCoordination OpenCoordination(PostgresSettings settings, string? password, string passwordSource, TimeSpan? lease = null) =>
            Create<IPostgresCoordination>(CoordinationType, settings, password, passwordSource, lease ?? DefaultLease);

        private static T Create<T>(string typeName, PostgresSettings settings, string? password, string passwordSource, params object[] more)
        {
            var type = Load().GetType(typeName, throwOnError: true)!;
            var arguments = new object?[3 + more.Length];
            arguments[0] = settings;
            arguments[1] = password;
            arguments[2] = passwordSource;
            more.CopyTo(arguments, 3);
            return (T)Activator.CreateInstance(type, arguments)!;
        }

        private static Assembly Load()
        {
            lock (Gate)
            {
                if (_loaded != null) return _loaded;
                var path = Path.Combine(Folder, AssemblyName + ".dll");
                if (!File.Exists(path))
                    throw new FileNotFoundException($"The module's PostgreSQL support '{path}' is missing: reinstall the BookBatch module.", path);
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveInFolder;
                    _loaded = Assembly.LoadFrom(path);
                }
                else _loaded = LoadIsolated(path);
                return _loaded;
            }
        }

        // A method of its own: Windows PowerShell never compiles it, so never meets the load context type it names.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Assembly LoadIsolated(string path) => new PostgresLoadContext(Folder, typeof(IPostgresSchema).Assembly).LoadFromAssemblyPath(path);

        // Windows PowerShell: answers only for the assemblies of the postgres/ folder.
        private static Assembly? ResolveInFolder(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name)) return null;
            var candidate = Path.Combine(Folder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
