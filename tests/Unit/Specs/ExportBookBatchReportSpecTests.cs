using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BookBatch.Tests.Batches;
using Xunit;

namespace BookBatch.Tests.Specs
{
    /// <summary>The behaviours of tests/Pester/Export-BookBatchReport.Tests.ps1.</summary>
    public class ExportBookBatchReportSpecTests
    {
        [Fact]
        public void WritesTheLastBatchAsOneHtmlFileWithARowPerBookNoScriptAndTitlesAsText()
        {
            using var batch = new BatchFixture();
            batch.Session.Run("'Deep Work', 'Evil <script>alert(1)</script>' | Invoke-BookBatch -Confirm:$false").Succeeded();
            var file = batch.Session.Run("Export-BookBatchReport report.html").Succeeded().Objects<FileInfo>().Single();
            Assert.Equal(batch.Session.PathOf("report.html"), file.FullName);
            var html = File.ReadAllText(file.FullName);
            Assert.DoesNotContain("<script", html);
            Assert.Contains("Evil &lt;script&gt;alert(1)&lt;/script&gt;", html);
            Assert.Equal(2, Regex.Matches(html, "<g class=\"row\"").Count);
            Assert.Equal(14, Regex.Matches(html, "<rect class=\"bar ok\"").Count);
        }

        [Fact]
        public void ReportsTheBatchOfTheResultsPipedIn()
        {
            using var batch = new BatchFixture();
            var first = batch.Session.Run("'One' | Invoke-BookBatch -Confirm:$false").Succeeded().Output.Single();
            batch.Session.Run("'Two' | Invoke-BookBatch -Confirm:$false").Succeeded();
            batch.Session.RunWithInput("$input | Export-BookBatchReport first.html", new object[] { first }).Succeeded();
            var html = File.ReadAllText(batch.Session.PathOf("first.html"));
            Assert.Contains((string)first.Properties["BatchId"].Value, html);
            Assert.Contains("1. One", html);
            Assert.DoesNotContain("Two", html);
        }

        [Fact]
        public void WritesNothingForABatchThatDoesNotExistForResultsOfTwoBatchesOrWithWhatIf()
        {
            using var batch = new BatchFixture();
            var one = batch.Session.Run("'One' | Invoke-BookBatch -Confirm:$false").Succeeded().Output.Single();
            var two = batch.Session.Run("'Two' | Invoke-BookBatch -Confirm:$false").Succeeded().Output.Single();
            Assert.Equal("BatchNotFound", Assert.Single(batch.Session.Run("Export-BookBatchReport -Id 20200101-000000-none -Path out.html").ErrorIds));
            Assert.Equal("BatchReportAmbiguous", Assert.Single(batch.Session.RunWithInput("$input | Export-BookBatchReport out.html", new object[] { one, two }).ErrorIds));
            batch.Session.Run("Export-BookBatchReport out.html -WhatIf").Succeeded();
            Assert.False(File.Exists(batch.Session.PathOf("out.html")));
        }
    }
}
