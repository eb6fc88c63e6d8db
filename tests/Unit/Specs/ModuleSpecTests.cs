using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Module.Tests.ps1 not checked elsewhere in xunit.</summary>
    public class ModuleSpecTests
    {
        private static readonly string[] CoreCmdlets =
        {
            "Add-Book", "Complete-Book", "Get-BatchSummary", "Get-BookRun", "Get-BookStatus", "Invoke-BookBatch",
            "New-BookWorkspace", "Remove-Book", "Repair-BookDatabase", "Reset-Book", "Test-BookDatabase",
            "Register-BookBatchSchedule", "Get-BookBatchSchedule", "Unregister-BookBatchSchedule",
            "Set-BookBatchMailCredential", "Get-BookBatchMailCredential", "Remove-BookBatchMailCredential",
            "Get-BookBatchStore", "Update-BookBatchStore", "Import-BookBatchStore", "Export-BookBatchStore",
        };

        /// <summary>The staged manifest as Import-PowerShellDataFile reads it.</summary>
        private static Hashtable Manifest(PowerShellSession session) =>
            (Hashtable)session.Run("Import-PowerShellDataFile -Path $args[0]", ModuleAssembly.Manifest).Succeeded().Output.Single().BaseObject;

        private static string[] Strings(object? value) =>
            value is null ? Array.Empty<string>() : LanguagePrimitives.GetEnumerable(value)?.Cast<object>().Select(o => o.ToString()!).ToArray() ?? new[] { value.ToString()! };

        private static string[] ListedCmdlets(PowerShellSession session) =>
            Strings(Manifest(session)["CmdletsToExport"]).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        [Fact]
        public void TheManifestIsValid()
        {
            using var session = new PowerShellSession();

            var result = session.Run("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", ModuleAssembly.Manifest);

            Assert.Null(result.Terminating);
            Assert.Empty(result.Errors);
            Assert.Equal("BookBatch", Assert.IsType<PSModuleInfo>(result.Output.Single().BaseObject).Name);
        }

        [Fact]
        public void TheManifestListsEveryCmdletExplicitlyWithoutWildcards()
        {
            using var session = new PowerShellSession();

            var listed = ListedCmdlets(session);

            Assert.All(listed, name => Assert.DoesNotMatch(@"[*?\[]", name));
            Assert.Empty(CoreCmdlets.Except(listed));
        }

        [Theory]
        [InlineData("FunctionsToExport")]
        [InlineData("AliasesToExport")]
        [InlineData("VariablesToExport")]
        public void TheManifestExportsNothingOfThisKind(string key)
        {
            using var session = new PowerShellSession();
            var manifest = Manifest(session);

            Assert.True(manifest.ContainsKey(key), $"a missing {key} exports everything");
            Assert.Empty(Strings(manifest[key]));
        }

        [Fact]
        public void TheManifestIsCompatibleWithDesktopAndCore()
        {
            using var session = new PowerShellSession();

            var editions = Strings(Manifest(session)["CompatiblePSEditions"]);

            Assert.Contains("Desktop", editions);
            Assert.Contains("Core", editions);
        }

        [Fact]
        public void TheManifestNamesTheAssemblyAsItsRootModule()
        {
            using var session = new PowerShellSession();

            Assert.Equal("BookBatch.PowerShell.dll", Manifest(session)["RootModule"]);
        }

        [Fact]
        public void TheImportedModuleIsBinaryWithTheManifestsVersion()
        {
            using var session = new PowerShellSession();
            var module = (PSModuleInfo)session.Run("Get-Module BookBatch").Succeeded().Output.Single().BaseObject;

            Assert.Equal("BookBatch", module.Name);
            Assert.Equal(ModuleType.Binary, module.ModuleType);
            Assert.Equal(new Version((string)Manifest(session)["ModuleVersion"]!), module.Version);
        }

        [Fact]
        public void TheImportedModuleExportsExactlyTheManifestsCmdletsAsCmdlets()
        {
            using var session = new PowerShellSession();
            var listed = ListedCmdlets(session);
            var module = (PSModuleInfo)session.Run("Get-Module BookBatch").Succeeded().Output.Single().BaseObject;
            var commands = session.Run("Get-Command -Module BookBatch").Succeeded().Output.Select(o => (CommandInfo)o.BaseObject).ToList();

            Assert.Equal(listed, module.ExportedCmdlets.Keys.OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(listed, commands.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(commands, c => Assert.Equal(CommandTypes.Cmdlet, c.CommandType));
        }

        [Fact]
        public void TheImportedModuleExportsNoFunctionsAliasesOrVariables()
        {
            using var session = new PowerShellSession();
            var module = (PSModuleInfo)session.Run("Get-Module BookBatch").Succeeded().Output.Single().BaseObject;

            Assert.Empty(module.ExportedFunctions);
            Assert.Empty(module.ExportedAliases);
            Assert.Empty(module.ExportedVariables);
        }
    }
}
