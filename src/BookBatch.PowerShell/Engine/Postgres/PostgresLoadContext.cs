using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// PowerShell 7's private load context for Npgsql: an assembly the platform itself carries (System.Memory,
    /// System.Text.Json, ...) is the platform's, so types such as Span stay one type; the module's own assembly is the one
    /// already loaded, so <see cref="IPostgresSchema"/> is one type on both sides; every other dependency is this
    /// folder's copy, whatever older copy another module has loaded into the default context.
    /// </summary>
    internal sealed class PostgresLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;
        private readonly Assembly _module;
        private readonly HashSet<string> _platform;

        public PostgresLoadContext(string folder, Assembly module)
        {
            _folder = folder;
            _module = module;
            _platform = new HashSet<string>(
                ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
                    .Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                    .Select(Path.GetFileNameWithoutExtension), StringComparer.OrdinalIgnoreCase);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name;
            if (string.IsNullOrEmpty(name) || _platform.Contains(name)) return null;
            if (string.Equals(name, _module.GetName().Name, StringComparison.Ordinal)) return _module;
            var candidate = Path.Combine(_folder, name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
