using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace BookBatch.Tests.Hosting
{
    /// <summary>Where the staged module is, and the hook that makes the tests use its assembly, not a copy.</summary>
    public static class ModuleAssembly
    {
        /// <summary>The repository root (the folder holding BookBatch.sln).</summary>
        public static readonly string RepositoryRoot = FindRoot();

        /// <summary>The staged module folder, as a user imports it.</summary>
        public static readonly string StagedModule = Path.Combine(RepositoryRoot, "out", "BookBatch");

        /// <summary>The staged manifest.</summary>
        public static readonly string Manifest = Path.Combine(StagedModule, "BookBatch.psd1");

        [ModuleInitializer]
        internal static void Hook()
        {
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                name.Name == "BookBatch.PowerShell"
                    ? context.LoadFromAssemblyPath(Path.Combine(StagedModule, "BookBatch.PowerShell.dll"))
                    : null;
        }

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "BookBatch.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("BookBatch.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
