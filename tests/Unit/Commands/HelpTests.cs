using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    /// <summary>One imported module for all the help tests: Get-Help only reads.</summary>
    public sealed class HelpSession : IDisposable
    {
        public PowerShellSession Session { get; } = new();

        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// Get-Help shows the MAML help of out/BookBatch/en-US/BookBatch.PowerShell.dll-Help.xml for every cmdlet, and
    /// that help matches the cmdlets as they are compiled: no parameter missing, stale or undescribed.
    /// </summary>
    public class HelpTests : IClassFixture<HelpSession>
    {
        private readonly PowerShellSession _session;

        public HelpTests(HelpSession fixture) => _session = fixture.Session;

        private static readonly string[] Names =
        {
            "Get-BookStatus", "Invoke-BookBatch", "Get-BatchSummary", "Get-BookRun", "Add-Book", "Complete-Book", "Reset-Book",
            "Remove-Book", "Stop-BookStage", "Test-BookDatabase", "Repair-BookDatabase", "New-BookWorkspace",
            "Register-BookBatchSchedule", "Get-BookBatchSchedule", "Unregister-BookBatchSchedule",
            "Start-BookBatchDashboard", "Stop-BookBatchDashboard", "Export-BookBatchReport",
            "Set-BookBatchMailCredential", "Get-BookBatchMailCredential", "Remove-BookBatchMailCredential",
            "Get-BookBatchStore", "Update-BookBatchStore", "Import-BookBatchStore", "Export-BookBatchStore",
            "Start-BookBatchWorker", "Get-BookBatchWorker", "Suspend-BookBatchQueue", "Resume-BookBatchQueue",
        };

        public static TheoryData<string> Cmdlets => new(Names);

        /// <summary>
        /// Cmdlets being written whose help is not in the MAML file yet. Each one's entry goes when its help is written:
        /// the test below then says to move it to <see cref="Names"/>, where every help test covers it.
        /// </summary>
        private static readonly string[] HelpPending = { };

        [Fact]
        public void EveryExportedCmdletIsCovered()
        {
            var exported = _session.Run("(Get-Command -Module BookBatch).Name").Succeeded().Output.Select(o => o.ToString()).ToList();
            var documented = MamlCommands().Select(c => (string)c.Element(Command + "details")!.Element(Command + "name")!).ToList();
            Assert.Empty(Names.Except(exported));
            Assert.Empty(exported.Except(Names).Except(HelpPending));
            Assert.Equal(Names.OrderBy(n => n), documented.Where(n => !HelpPending.Contains(n)).OrderBy(n => n));
            foreach (var pending in HelpPending)
                Assert.False(documented.Contains(pending), $"{pending} has help now: move it from HelpPending to Names.");
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void SynopsisIsWrittenNotGeneratedFromTheSyntax(string name)
        {
            var synopsis = Text("(Get-Help $args[0] -Full).Synopsis", name);
            // Without help, Get-Help makes the synopsis out of the syntax: "Add-Book [-Title] <string> ...".
            Assert.False(string.IsNullOrWhiteSpace(synopsis), name + " has no synopsis.");
            Assert.DoesNotContain("[-", synopsis);
            Assert.DoesNotContain("CommonParameters", synopsis);
            Assert.False(synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase), $"{name}'s synopsis is its syntax: {synopsis}");
            Assert.EndsWith(".", synopsis);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HelpComesFromTheStagedMamlFile(string name)
        {
            var details = MamlCommands().Select(c => c.Element(Command + "details")!).Single(d => (string?)d.Element(Command + "name") == name);
            var written = (string)details.Element(Maml + "description")!.Element(Maml + "para")!;
            Assert.Equal(written, Text("(Get-Help $args[0]).Synopsis", name));
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HasADescription(string name)
        {
            var description = Text("(Get-Help $args[0] -Full).Description | ForEach-Object { $_.Text }", name);
            Assert.False(string.IsNullOrWhiteSpace(description), name + " has no description.");
            Assert.Contains(name, description);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HasAtLeastTwoExamplesThatUseTheCmdletAndSayWhatHappens(string name)
        {
            var examples = _session.Run(@"
                @((Get-Help $args[0] -Full).Examples.Example) |
                    Select-Object @{ Name = 'Code'; Expression = { [string]$_.Code } },
                                  @{ Name = 'Remarks'; Expression = { (@($_.Remarks) | ForEach-Object { $_.Text }) -join ' ' } }", name).Succeeded().Output;
            Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s); it needs at least two.");
            foreach (var example in examples)
            {
                var code = Property(example, "Code");
                var remarks = Property(example, "Remarks");
                Assert.Contains(name, code);
                Assert.False(string.IsNullOrWhiteSpace(remarks), $"The {name} example '{code}' does not say what happens.");
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void EveryParameterHasADescription(string name)
        {
            foreach (var parameter in DeclaredParameters(name))
            {
                var result = _session.Run("(Get-Help $args[0] -Parameter $args[1]).Description | ForEach-Object { $_.Text }", name, parameter);
                Assert.True(result.Errors.Count == 0 && result.Terminating is null, $"Get-Help {name} -Parameter {parameter} failed: the help does not know the parameter.");
                var description = string.Join(" ", result.Output.Select(o => o?.ToString()));
                Assert.False(string.IsNullOrWhiteSpace(description), $"{name} -{parameter} has no description.");
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void HelpListsExactlyTheCmdletsParameters(string name)
        {
            var documented = HelpParameters(name).Select(p => p.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(DeclaredParameters(name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase), documented);
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void ParameterDetailsMatchTheCmdlet(string name)
        {
            var command = CmdletOf(name);
            foreach (var help in HelpParameters(name))
            {
                var where = $"{name} -{help.Name}";
                Assert.True(command.Parameters.TryGetValue(help.Name, out var metadata), where + " is in the help, but the cmdlet has no such parameter.");
                var sets = metadata!.ParameterSets.Values.ToList();

                Assert.True(sets.Any(s => s.IsMandatory).ToString().Equals(help.Required, StringComparison.OrdinalIgnoreCase), where + ": required? is " + help.Required);

                var positions = sets.Select(s => s.Position).Distinct().ToList();
                Assert.True(positions.Count == 1, where + " has different positions in different parameter sets; the help cannot say one.");
                var position = positions[0] == int.MinValue ? "named" : positions[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(position == help.Position, $"{where}: position is {position}, the help says {help.Position}.");

                var byValue = sets.Any(s => s.ValueFromPipeline);
                var byName = sets.Any(s => s.ValueFromPipelineByPropertyName);
                Assert.True(byValue || byName ? help.PipelineInput.StartsWith("True", StringComparison.OrdinalIgnoreCase) : help.PipelineInput.StartsWith("False", StringComparison.OrdinalIgnoreCase),
                    $"{where}: the help says pipeline input '{help.PipelineInput}'.");
                Assert.True(byValue == help.PipelineInput.Contains("ByValue"), $"{where}: ByValue is {byValue}, the help says '{help.PipelineInput}'.");
                Assert.True(byName == help.PipelineInput.Contains("ByPropertyName"), $"{where}: ByPropertyName is {byName}, the help says '{help.PipelineInput}'.");

                var aliases = metadata.Aliases.OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToArray();
                var helpAliases = help.Aliases is "" or "none" ? Array.Empty<string>() : help.Aliases.Split(',').Select(a => a.Trim()).OrderBy(a => a, StringComparer.OrdinalIgnoreCase).ToArray();
                Assert.True(aliases.SequenceEqual(helpAliases, StringComparer.OrdinalIgnoreCase), $"{where}: aliases are '{string.Join(",", aliases)}', the help says '{help.Aliases}'.");
            }
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void SyntaxShowsEachParameterSetWithItsParameters(string name)
        {
            var command = CmdletOf(name);
            var expected = command.ParameterSets
                .Select(set => string.Join(",", set.Parameters.Select(p => p.Name).Where(IsDocumented).OrderBy(n => n, StringComparer.OrdinalIgnoreCase)))
                .OrderBy(s => s, StringComparer.Ordinal).ToList();
            var documented = _session.Run(@"
                @((Get-Help $args[0] -Full).Syntax.SyntaxItem) | ForEach-Object {
                    (@($_.Parameter) | ForEach-Object { $_.Name }) -join ','
                }", name).Succeeded().Output
                .Select(o => string.Join(",", o.ToString().Split(',').OrderBy(n => n, StringComparer.OrdinalIgnoreCase)))
                .OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(expected, documented);
        }

        /// <summary>
        /// Where LANG is C or C.UTF-8 (CI, containers), .NET's UI culture is the invariant culture; the help lives in
        /// en-US only. PowerShell falls back to en-US for the invariant culture and for any culture the module has no
        /// folder for, so Get-Help finds it everywhere.
        /// </summary>
        [Theory]
        [InlineData("")]
        [InlineData("de-DE")]
        [InlineData("en-US")]
        public void HelpIsFoundWhateverTheUICulture(string culture)
        {
            using var session = new PowerShellSession();
            var synopsis = session.Run(
                @"$before = [System.Globalization.CultureInfo]::CurrentUICulture
                  try {
                      [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo($args[0])
                      (Get-Help Add-Book).Synopsis
                  }
                  finally { [System.Globalization.CultureInfo]::CurrentUICulture = $before }",
                culture).Succeeded().Output.Single().ToString();
            Assert.Equal("Records books in the database with the status processing.", synopsis);
        }

        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

        /// <summary>The command entries of the staged help file, the file Import-Module's users get.</summary>
        private static List<XElement> MamlCommands()
        {
            var file = System.IO.Path.Combine(ModuleAssembly.StagedModule, "en-US", "BookBatch.PowerShell.dll-Help.xml");
            Assert.True(System.IO.File.Exists(file), file + " was not staged.");
            return XDocument.Load(file).Root!.Elements(Command + "command").ToList();
        }

        private sealed record HelpParameter(string Name, string Required, string Position, string PipelineInput, string Aliases);

        /// <summary>PowerShell's own parameters (Verbose, ErrorAction...), which about_CommonParameters documents; WhatIf and Confirm are ours to document.</summary>
        private static bool IsDocumented(string parameter) => !Cmdlet.CommonParameters.Contains(parameter);

        private CmdletInfo CmdletOf(string name) =>
            (CmdletInfo)_session.Run("Get-Command $args[0]", name).Succeeded().Output.Single().BaseObject;

        private List<string> DeclaredParameters(string name) => CmdletOf(name).Parameters.Keys.Where(IsDocumented).ToList();

        private List<HelpParameter> HelpParameters(string name) =>
            _session.Run("@((Get-Help $args[0] -Full).Parameters.Parameter)", name).Succeeded().Output
                .Select(p => new HelpParameter(Property(p, "name"), Property(p, "required"), Property(p, "position"), Property(p, "pipelineInput"), Property(p, "aliases")))
                .ToList();

        private static string Property(PSObject item, string name) => item.Properties[name]?.Value?.ToString() ?? string.Empty;

        private string Text(string script, params object[] args) =>
            string.Join(Environment.NewLine, _session.Run(script, args).Succeeded().Output.Select(o => o?.ToString()));
    }
}
