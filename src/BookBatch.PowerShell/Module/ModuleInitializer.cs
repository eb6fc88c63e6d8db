using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace BookBatch.Module
{
    /// <summary>
    /// Lets Windows PowerShell 5.1 find System.Text.Json and its netstandard dependencies in the module's private
    /// <c>dependencies/</c> folder. It answers only for assemblies that are in that folder, so PowerShell 7, which
    /// already has its own newer copies, is never affected.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        /// <summary>Registers the resolve handler when the module is imported.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Removes the resolve handler and stops the background dashboards when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
            DashboardSessions.StopAll(); // a dashboard in the background does not outlive its module
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (string.IsNullOrEmpty(name)) return null;
            var candidate = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }
    }
}
