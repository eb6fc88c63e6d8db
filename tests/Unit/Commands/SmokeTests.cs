using System.Linq;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Commands
{
    public class ModuleImportTests
    {
        [Fact]
        public void ImportsTheStagedModuleWithEveryCmdlet()
        {
            using var session = new PowerShellSession();
            var module = session.Run("Get-Module BookBatch").Succeeded().Output.Single();
            Assert.Equal(ModuleAssembly.StagedModule, ((System.Management.Automation.PSModuleInfo)module.BaseObject).ModuleBase);
            var names = session.Run("(Get-Command -Module BookBatch).Name").Succeeded().Output.Select(o => o.ToString()).OrderBy(n => n).ToArray();
            Assert.Equal(new[] { "Add-Book", "Complete-Book", "Export-BookBatchReport", "Export-BookBatchStore", "Get-BatchSummary", "Get-BookBatchMailCredential", "Get-BookBatchSchedule", "Get-BookBatchStore", "Get-BookBatchWorker", "Get-BookRun", "Get-BookStatus",
                "Import-BookBatchStore", "Invoke-BookBatch", "New-BookWorkspace", "Register-BookBatchSchedule", "Remove-Book", "Remove-BookBatchMailCredential", "Repair-BookDatabase", "Reset-Book", "Resume-BookBatchQueue", "Set-BookBatchMailCredential", "Start-BookBatchDashboard",
                "Start-BookBatchWorker", "Stop-BookBatchDashboard", "Stop-BookStage", "Suspend-BookBatchQueue", "Test-BookDatabase", "Unregister-BookBatchSchedule", "Update-BookBatchStore" }, names);
        }

        [Fact]
        public void LinesPipedToAddBookAreRecorded()
        {
            using var session = new PowerShellSession();
            System.IO.File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits | James Clear\nDeep Work | Cal Newport\n");
            session.Run("Get-Content books.txt | Add-Book").Succeeded();
            var statuses = session.Run("Get-BookStatus | Where-Object Status -eq processing").Succeeded().Objects<BookStatus>().ToList();
            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, statuses.Select(s => s.Title));
            Assert.All(statuses, s => Assert.Equal(BookState.Processing, s.Status));
        }
    }
}
