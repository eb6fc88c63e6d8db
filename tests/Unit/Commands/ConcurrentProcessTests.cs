using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Coordination.Files;
using BookBatch.Engine.Ledger;
using BookBatch.Tests.Engine;
using Xunit;

namespace BookBatch.Tests.Commands
{
    public class ConcurrentProcessTests
    {
        [Fact]
        public void FourProcessesAddingAndCompletingTogetherLoseNoBook()
        {
            using var temp = new TempWorkspace();
            var testAssembly = typeof(ConcurrentProcessTests).Assembly.Location;
            var children = Enumerable.Range(1, 4).Select(n =>
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in new[] { testAssembly, "ledger-writer", temp.Workspace.Root, "P" + n, "250" }) start.ArgumentList.Add(arg);
                return Process.Start(start)!;
            }).ToList();

            // While they write, every read of the file must parse: a reader never sees half a file.
            var reads = 0;
            while (children.Any(c => !c.HasExited))
            {
                var bytes = BookBatch.Engine.Storage.AtomicFile.ReadBytes(temp.Workspace.DatabasePath);
                if (bytes is null) continue;
                using (JsonDocument.Parse(bytes)) reads++;
            }
            foreach (var child in children)
            {
                var errors = child.StandardError.ReadToEnd();
                child.WaitForExit();
                Assert.True(child.ExitCode == 0, $"child failed: {errors}");
            }

            var ledger = new LedgerStore(temp.Workspace).Read();
            Assert.Equal(1000, ledger.Books.Count);
            Assert.All(ledger.Books, b => Assert.Equal(BookState.Done, b.State));
            Assert.Equal(1000, ledger.Books.Select(b => b.Book.Key).Distinct().Count());
            Assert.True(reads > 10, $"only {reads} reads while the children wrote");
        }
    }
}
