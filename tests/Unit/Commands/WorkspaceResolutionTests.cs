using System.IO;
using System.Linq;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    /// <summary>$env:BOOKBATCH_WORKSPACE belongs to the whole test process: nothing else may run while it is set.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    [Collection(ProcessEnvironmentCollection.Name)]
    public class WorkspaceResolutionTests
    {
        [Fact]
        public void TheWorkspaceIsTheParameterThenTheEnvironmentThenTheLocation()
        {
            using var session = new PowerShellSession();
            var elsewhere = session.PathOf("elsewhere");
            var byEnv = session.PathOf("by-env");
            Directory.CreateDirectory(elsewhere);
            Directory.CreateDirectory(byEnv);
            session.Run("Add-Book Here").Succeeded();
            session.Run("Add-Book There -Workspace elsewhere").Succeeded();
            try
            {
                session.Run("$env:BOOKBATCH_WORKSPACE = $args[0]; Add-Book FromEnv", byEnv).Succeeded();
                Assert.Equal(new[] { "FromEnv" }, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title));
                Assert.Equal(new[] { "There" }, session.Run("Get-BookStatus -Workspace elsewhere").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            }
            finally
            {
                session.Run("Remove-Item Env:BOOKBATCH_WORKSPACE -ErrorAction SilentlyContinue; $env:BOOKBATCH_WORKSPACE = $null");
            }
            Assert.Equal(new[] { "Here" }, session.Run("Get-BookStatus").Succeeded().Objects<BookStatus>().Select(s => s.Title));
            var missing = session.Throws("Get-BookStatus -Workspace nowhere");
            Assert.StartsWith("WorkspaceNotFound,", missing!.FullyQualifiedErrorId);
            Assert.Contains("New-BookWorkspace", missing.ToString());
        }
    }
}
