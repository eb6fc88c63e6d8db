using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using BookBatch.Tests.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace BookBatch.Tests.Commands
{
    /// <summary>
    /// One word, one meaning: a parameter name (or alias) is the same kind of thing on every cmdlet of the module — a
    /// switch, a number, a text, a time, a choice of one enum, or an object — so that what a user learnt on one cmdlet
    /// holds on the next. One value or several of the same kind (string and string[]) is the same kind, as in
    /// PowerShell's own cmdlets.
    /// </summary>
    public class ParameterNameTests
    {
        private readonly ITestOutputHelper _output;

        public ParameterNameTests(ITestOutputHelper output) => _output = output;

        /// <summary>One parameter name of one cmdlet: its name or one of its aliases, and its type.</summary>
        public sealed record Parameter(string Cmdlet, string Name, Type Type)
        {
            public string Kind => KindOf(Type);
        }

        [Fact]
        public void EveryParameterNameMeansOneKindOfThingAcrossTheModule()
        {
            using var session = new PowerShellSession();
            var parameters = ModuleParameters(session);
            Assert.Contains(parameters, p => p.Cmdlet == "Export-BookBatchReport" && p.Name == "Last"); // the list is the module's, not empty
            foreach (var p in parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Cmdlet))
                _output.WriteLine($"{p.Name,-18} {p.Kind,-22} {p.Type.Name,-20} {p.Cmdlet}");
            Assert.True(Clashes(parameters).Count == 0, "One name, two kinds:\n" + string.Join("\n", Clashes(parameters)));
        }

        [Fact]
        public void LastAndIdMeanTheSameOnTheSummaryAndTheReport()
        {
            using var session = new PowerShellSession();
            var parameters = ModuleParameters(session);
            foreach (var cmdlet in new[] { "Get-BatchSummary", "Export-BookBatchReport" })
            {
                Assert.Equal(typeof(int), parameters.Single(p => p.Cmdlet == cmdlet && p.Name == "Last").Type);
                Assert.Equal(typeof(string), parameters.Single(p => p.Cmdlet == cmdlet && p.Name == "Id").Type);
            }
        }

        [Theory]
        [InlineData(typeof(SwitchParameter), typeof(int), "switch", "number")] // Export-BookBatchReport -Last as it was
        [InlineData(typeof(string), typeof(int[]), "text", "number")]          // a batch id here, a dashboard number there
        [InlineData(typeof(DateTime), typeof(string), "time", "text")]
        [InlineData(typeof(ConsoleColor), typeof(DayOfWeek), "choice of ConsoleColor", "choice of DayOfWeek")]
        public void ADeliberateClashIsFound(Type one, Type other, string kindOne, string kindOther)
        {
            var parameters = new[] { new Parameter("Get-A", "Last", one), new Parameter("Get-B", "Last", other), new Parameter("Get-C", "Path", typeof(string)) };

            var clash = Assert.Single(Clashes(parameters));

            Assert.Contains("-Last", clash);
            Assert.Contains($"{kindOne} on Get-A", clash);
            Assert.Contains($"{kindOther} on Get-B", clash);
        }

        [Theory]
        [InlineData(typeof(string), typeof(string[]))]
        [InlineData(typeof(int?), typeof(int))]
        [InlineData(typeof(double?), typeof(int))]
        [InlineData(typeof(PSObject), typeof(BookBatch.Engine.Batches.BookBatchResult))]
        public void OneOrSeveralOfTheSameKindIsNoClash(Type one, Type other) =>
            Assert.Empty(Clashes(new[] { new Parameter("Get-A", "X", one), new Parameter("Get-B", "X", other) }));

        /// <summary>Every parameter name and alias of every cmdlet of the loaded module, common parameters left out.</summary>
        internal static List<Parameter> ModuleParameters(PowerShellSession session)
        {
            var commands = session.Run("Get-Command -Module BookBatch -CommandType Cmdlet").Succeeded().Objects<CmdletInfo>().ToList();
            Assert.NotEmpty(commands);
            var common = new HashSet<string>(Cmdlet.CommonParameters.Concat(Cmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
            return commands.SelectMany(c => c.Parameters.Values
                    .Where(p => !common.Contains(p.Name))
                    .SelectMany(p => new[] { p.Name }.Concat(p.Aliases).Select(name => new Parameter(c.Name, name, p.ParameterType))))
                .ToList();
        }

        /// <summary>One line per name that is more than one kind of thing, naming each kind and its cmdlets.</summary>
        internal static List<string> Clashes(IEnumerable<Parameter> parameters) =>
            parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
                .Where(name => name.Select(p => p.Kind).Distinct().Count() > 1)
                .Select(name => $"-{name.Key}: " + string.Join("; ", name.GroupBy(p => p.Kind)
                    .Select(kind => $"{kind.Key} on {string.Join(", ", kind.Select(p => p.Cmdlet).Distinct())}")))
                .ToList();

        /// <summary>What kind of thing a parameter of this type is: arrays and nullables are their element's kind.</summary>
        internal static string KindOf(Type type)
        {
            if (type.IsArray) return KindOf(type.GetElementType()!);
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(SwitchParameter) || type == typeof(bool)) return "switch";
            if (type.IsEnum) return "choice of " + type.Name;
            if (type == typeof(string)) return "text";
            if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return "time";
            if (type == typeof(TimeSpan)) return "duration";
            if (type.IsPrimitive || type == typeof(decimal)) return "number";
            return "object";
        }
    }
}
