using System;
using System.Linq;
using System.Reflection;
using BookBatch.Engine.Ledger;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class ArchitectureTests
    {
        private static readonly Assembly Module = typeof(BookLedger).Assembly;

        [Fact]
        public void TheEngineKnowsNothingOfPowerShell()
        {
            var sma = typeof(System.Management.Automation.PSObject).Assembly.GetName().Name;
            var offenders =
                from type in Module.GetTypes()
                where type.Namespace != null && type.Namespace.StartsWith("BookBatch.Engine", StringComparison.Ordinal)
                from used in UsedTypes(type)
                where used.Assembly.GetName().Name == sma
                select type.FullName + " uses " + used.FullName;
            Assert.Empty(offenders);
        }

        [Fact]
        public void TheTestsUseTheStagedAssembly()
        {
            Assert.Equal(System.IO.Path.Combine(ModuleAssembly.StagedModule, "BookBatch.PowerShell.dll"), Module.Location);
        }

        [Fact]
        public void TheManifestIsTheOneVersionSource()
        {
            var manifest = System.IO.File.ReadAllText(ModuleAssembly.Manifest);
            var version = System.Text.RegularExpressions.Regex.Match(manifest, "ModuleVersion\\s*=\\s*'([0-9.]+)'").Groups[1].Value;
            Assert.Equal(new Version(version), new Version(Module.GetName().Version!.ToString(3)));
        }

        private static System.Collections.Generic.IEnumerable<Type> UsedTypes(Type type)
        {
            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            if (type.BaseType != null) yield return type.BaseType;
            foreach (var i in type.GetInterfaces()) yield return i;
            foreach (var f in type.GetFields(all)) yield return f.FieldType;
            foreach (var p in type.GetProperties(all)) yield return p.PropertyType;
            foreach (var m in type.GetMethods(all))
            {
                yield return m.ReturnType;
                foreach (var p in m.GetParameters()) yield return p.ParameterType;
                var body = m.GetMethodBody();
                if (body != null) foreach (var local in body.LocalVariables) yield return local.LocalType;
            }
            foreach (var c in type.GetConstructors(all))
                foreach (var p in c.GetParameters()) yield return p.ParameterType;
        }
    }
}
