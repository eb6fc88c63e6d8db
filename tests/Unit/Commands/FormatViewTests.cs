using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;
using Xunit.Sdk;

namespace BookBatch.Tests.Commands
{
    /// <summary>
    /// Every view of BookBatch.Format.ps1xml, rendered from real objects of its type the three ways a user sees them:
    /// the default formatting (what the console shows), Out-String, and the explicit Format-Table / Format-List /
    /// Format-Custom. Each rendering must show the headers the view declares (read from the staged file itself) and
    /// the objects' values under them.
    /// </summary>
    public class FormatViewTests : IClassFixture<FormatViewTests.FinishedBatches>
    {
        private static readonly XDocument FormatFile = XDocument.Load(Path.Combine(ModuleAssembly.StagedModule, "BookBatch.Format.ps1xml"));

        /// <summary>The views this class renders; a view added to the file and not to these tests fails the first test.</summary>
        private static readonly string[] Rendered =
        {
            "BookStatus", "BookDatabaseReport", "BookDatabaseIssue", "BookDatabaseRepair", "BookBatchResult",
            "BatchSummary", "BatchSummaryTable", "BookRun", "StageRun", "BookBatchSchedule", "BookBatchDashboard", "WorkerStatus",
        };

        private readonly FinishedBatches _batches;

        public FormatViewTests(FinishedBatches batches) => _batches = batches;

        /// <summary>
        /// One workspace for the views of a batch's objects: a batch of a new book and a done one, then a batch whose
        /// book fails at render. Its session keeps the results in $first and $second.
        /// </summary>
        public sealed class FinishedBatches : IDisposable
        {
            public FinishedBatches()
            {
                Batch = new BatchFixture();
                Session.Run("Add-Book Done; Complete-Book Done -YouTubeUrl https://youtube.com/watch?v=d").Succeeded();
                Session.Run("$first = 'Atomic Habits | James Clear', 'Done' | Invoke-BookBatch").Succeeded();
                Batch.FailAt("render");
                Assert.Null(Session.Run("$second = 'Broken' | Invoke-BookBatch").Terminating);
                FirstId = (string)Session.Run("$first[0].BatchId").Succeeded().Output.Single().BaseObject;
                SecondId = (string)Session.Run("$second.BatchId").Succeeded().Output.Single().BaseObject;
            }

            public BatchFixture Batch { get; }
            public PowerShellSession Session => Batch.Session;
            public string FirstId { get; }
            public string SecondId { get; }

            public void Dispose() => Batch.Dispose();
        }

        private static XElement View(string name) =>
            FormatFile.Descendants("View").Single(v => (string?)v.Element("Name") == name);

        /// <summary>The column headers of a table view, or the item labels of a list view, as the file declares them.</summary>
        private static string[] Labels(string name)
        {
            var view = View(name);
            if (view.Element("TableControl") is { } table)
            {
                var headers = table.Descendants("TableColumnHeader").ToList();
                var items = table.Descendants("TableColumnItem").ToList();
                return headers.Select((h, i) => (string?)h.Element("Label") ?? (string)items[i].Element("PropertyName")!).ToArray();
            }
            if (view.Element("ListControl") is { } list)
                return list.Descendants("ListItem").Select(i => (string?)i.Element("Label") ?? (string)i.Element("PropertyName")!).ToArray();
            return Array.Empty<string>();
        }

        private static readonly Regex Escapes = new("\x1b\\[[0-9;?]*[A-Za-z]");

        private static string Text(PipelineResult result) =>
            Escapes.Replace(string.Concat(result.Succeeded().Output.Select(o => o.BaseObject as string)), string.Empty).Replace("\r\n", "\n");

        /// <summary>
        /// The objects <paramref name="objects"/> (an expression) as the console shows them by default, through
        /// Out-String, and through <paramref name="format"/>; each with the way it was made, for failure messages.
        /// </summary>
        private static List<(string How, string Text)> Render(PowerShellSession session, string objects, params string[] formats)
        {
            var before = session.ScreenText.Length;
            session.Run(objects + " | Out-Default").Succeeded();
            var renderings = new List<(string, string)>
            {
                ("default", session.ScreenText.Substring(before)),
                ("Out-String", Text(session.Run(objects + " | Out-String -Width 200"))),
            };
            foreach (var format in formats) renderings.Add((format, Text(session.Run(objects + " | " + format + " | Out-String -Width 200"))));
            return renderings;
        }

        private static void ForEach(IEnumerable<(string How, string Text)> renderings, Action<string> check)
        {
            foreach (var (how, text) in renderings)
            {
                try { check(text); }
                catch (XunitException e) { throw new XunitException($"{how}:\n{text}\n{e.Message}"); }
            }
        }

        /// <summary>The view's headers on one line, in order, with a line of dashes under them.</summary>
        private static void AssertTableHeaders(string text, string view)
        {
            var labels = Labels(view);
            Assert.True(labels.Length > 0, view);
            Assert.Matches(@"(?m)^\s*" + string.Join(@"\s+", labels.Select(Regex.Escape)) + @"\s*\n\s*-+(\s+-+){" + (labels.Length - 1) + @"}\s*$", text);
        }

        /// <summary>Every item label of the list view, in order, each starting its line.</summary>
        private static void AssertListLabels(string text, string view)
        {
            var labels = Labels(view);
            Assert.True(labels.Length > 0, view);
            Assert.Matches(@"(?ms)" + string.Join(".*", labels.Select(l => "^" + Regex.Escape(l) + @"\s*: ")), text);
        }

        [Fact]
        public void EveryViewInTheFormatFileIsRenderedHere()
        {
            var declared = FormatFile.Descendants("View").Select(v => (string)v.Element("Name")!).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(Rendered.OrderBy(n => n, StringComparer.Ordinal), declared);
        }

        [Fact]
        public void BookStatusShowsTheOldSystemsPreflightColumns()
        {
            using var session = new PowerShellSession();
            session.Run("Add-Book 'Atomic Habits' 'James Clear'; Complete-Book 'Atomic Habits' -YouTubeUrl https://youtube.com/watch?v=abc; Add-Book 'Deep Work'").Succeeded();
            session.Run("$statuses = 'Atomic Habits | James Clear', 'Deep Work', 'Brand New' | Get-BookStatus").Succeeded();
            ForEach(Render(session, "$statuses", "Format-Table", "Format-Table -View BookStatus"), text =>
            {
                AssertTableHeaders(text, "BookStatus");
                Assert.Matches(@"(?m)^Atomic Habits\s+James Clear\s+Done\s+Skip\s+https://youtube\.com/watch\?v=abc\s*$", text);
                Assert.Matches(@"(?m)^Deep Work\s+Processing\s+Resume\s*$", text);
                Assert.Matches(@"(?m)^Brand New\s+New\s+Process\s+not in the database\s*$", text);
            });
        }

        [Fact]
        public void BookBatchDashboardShowsWhereToOpenIt()
        {
            using var session = new PowerShellSession();
            session.Run("$dashboard = Start-BookBatchDashboard").Succeeded();
            try
            {
                ForEach(Render(session, "$dashboard", "Format-Table", "Format-Table -View BookBatchDashboard"), text =>
                {
                    AssertTableHeaders(text, "BookBatchDashboard");
                    Assert.Matches(@"(?m)^\s*\d+\s+True\s+http://127\.0\.0\.1:\d+/\s+" + Regex.Escape(session.Folder) + @"\s*$", text);
                });
            }
            finally { session.Run("Stop-BookBatchDashboard").Succeeded(); }
        }

        [Fact]
        public void WorkersShowServerProcessActivityBooksAndHeartbeat()
        {
            using var session = new PowerShellSession();
            session.Run("$worker = [BookBatch.Engine.Coordination.WorkerStatus]@{ Id = 'render-01-4242-20261206030000'; Server = 'render-01'; ProcessId = 4242; " +
                        "Activity = 'Working'; Books = 3; Batch = '20261206-030000-ab12'; Heartbeat = [DateTimeOffset]'2026-12-06T03:00:05+00:00' }").Succeeded();
            ForEach(Render(session, "$worker", "Format-Table", "Format-Table -View WorkerStatus"), text =>
            {
                AssertTableHeaders(text, "WorkerStatus");
                Assert.Matches(@"(?m)^render-01\s+4242\s+Working\s+3\s+2026-12-06 \d\d:00:05\s+20261206-030000-ab12\s*$", text);
            });
        }

        private const string DamagedDatabase = "{\"books\": [{\"main_title\": \"Deep Work\", \"status\": \"done\", \"youtube_url\": \"https://youtube.com/watch?v=dw\"}, " +
            "{\"main_title\": \"deep work\", \"status\": \"processing\"}, {\"main_title\": \"Odd\", \"status\": \"weird\"}]}";

        [Fact]
        public void BookDatabaseReportListsItsIssuesOneALine()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), DamagedDatabase);
            session.Run("$report = Test-BookDatabase").Succeeded();
            ForEach(Render(session, "$report", "Format-List", "Format-List -View BookDatabaseReport"), text =>
            {
                AssertListLabels(text, "BookDatabaseReport");
                Assert.Matches(@"(?m)^Path\s+: " + Regex.Escape(session.PathOf("database.json")) + @"\s*$", text);
                Assert.Matches(@"(?m)^IsHealthy\s+: False\s*$", text);
                Assert.Matches(@"(?m)^Books\s+: 3\s*$", text);
                Assert.Matches(@"(?m)^Issues\s+: \[Error\] Duplicate: 'Deep Work' is recorded 2 times\. Run Repair-BookDatabase to merge the entries into one\.\s*$", text);
                Assert.Matches(@"(?m)^\s+\[Warning\] UnknownStatus: 'Odd' has the status 'weird'", text);
            });

            File.Delete(session.PathOf("database.json"));
            session.Run("$report = Test-BookDatabase").Succeeded();
            ForEach(Render(session, "$report", "Format-List"), text => Assert.Matches(@"(?m)^Issues\s+: none\s*$", text));
        }

        [Fact]
        public void BookDatabaseIssuesShowSeverityKindAndMessage()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), DamagedDatabase);
            session.Run("$issues = (Test-BookDatabase).Issues").Succeeded();
            ForEach(Render(session, "$issues", "Format-Table", "Format-Table -View BookDatabaseIssue"), text =>
            {
                AssertTableHeaders(text, "BookDatabaseIssue");
                Assert.Matches(@"(?m)^Error\s+Duplicate\s+'Deep Work' is recorded 2 times\.", text);
                Assert.Matches(@"(?m)^Warning\s+UnknownStatus\s+'Odd' has the status 'weird'", text);
            });
        }

        [Fact]
        public void BookDatabaseRepairsShowActionBooksAndMessage()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"), DamagedDatabase);
            session.Run("$repairs = Repair-BookDatabase -Confirm:$false").Succeeded();
            ForEach(Render(session, "$repairs", "Format-Table", "Format-Table -View BookDatabaseRepair"), text =>
            {
                AssertTableHeaders(text, "BookDatabaseRepair");
                Assert.Matches(@"(?m)^MergedDuplicates\s+2\s+'Deep Work' was recorded 2 times; merged into one entry", text);
            });
        }

        [Fact]
        public void BookBatchResultsShowOneRowPerBook()
        {
            var session = _batches.Session;
            ForEach(Render(session, "$first + $second", "Format-Table", "Format-Table -View BookBatchResult"), text =>
            {
                AssertTableHeaders(text, "BookBatchResult");
                Assert.Matches(@"(?m)^\s*1\s+Atomic Habits \| James Clear\s+Success\s+0:00:\d\d\s+https://youtube\.example/watch\?v=AtomicHabits\s*$", text);
                Assert.Matches(@"(?m)^\s*2\s+Done\s+Skipped\s+0:00:\d\d\s+Already completed\s*$", text);
                Assert.Matches(@"(?m)^\s*1\s+Broken\s+Failed\s+0:00:\d\d\s+stage 'render' failed: exit code 3: render fails on purpose\s*$", text);
            });
        }

        [Fact]
        public void BatchSummaryReadsLikeTheOldSystemsFinalTable()
        {
            var session = _batches.Session;
            session.Run("$summaries = Get-BatchSummary -Last 2").Succeeded();
            ForEach(Render(session, "$summaries", "Format-Custom", "Format-Custom -View BatchSummary"), text =>
            {
                Assert.Matches(@"(?m)^Batch " + _batches.FirstId + @"\s*\n\s*\nCategory\s+Count\s+Percentage\s*\n--------\s+-----\s+----------\s*\n" +
                    @"Total Books\s+2\s+100%\s*\nSuccess\s+1\s+50%\s*\nResumed\s+0\s+0%\s*\nFailed\s+0\s+0%\s*\nSkipped\s+1\s+50%\s*$", text);
                Assert.Matches(@"(?m)^Batch " + _batches.SecondId + @"\s*\n\s*\nCategory\s+Count\s+Percentage\s*\n--------\s+-----\s+----------\s*\n" +
                    @"Total Books\s+1\s+100%\s*\nSuccess\s+0\s+0%\s*\nResumed\s+0\s+0%\s*\nFailed\s+1\s+100%\s*\nSkipped\s+0\s+0%\s*\n\s*\n" +
                    @"Failed books:\s*\n\s+1\. Broken: stage 'render' failed: exit code 3: render fails on purpose\s*$", text);
            });
        }

        [Fact]
        public void BatchSummariesAsATableShowOneRowPerBatch()
        {
            var session = _batches.Session;
            session.Run("$summaries = Get-BatchSummary -Last 2").Succeeded();
            // The default of a summary is the old system's final table (above); Format-Table takes the table view.
            var renderings = Render(session, "$summaries", "Format-Table", "Format-Table -View BatchSummaryTable").Skip(2);
            ForEach(renderings, text =>
            {
                AssertTableHeaders(text, "BatchSummaryTable");
                Assert.Matches(@"(?m)^" + _batches.FirstId + @"\s+2\s+1\s+0\s+0\s+1\s+False\s*$", text);
                Assert.Matches(@"(?m)^" + _batches.SecondId + @"\s+1\s+0\s+0\s+1\s+0\s+False\s*$", text);
            });
        }

        [Fact]
        public void BookRunListsItsStagesOnOneLine()
        {
            var session = _batches.Session;
            session.Run("$run = Get-BookRun Broken").Succeeded();
            var folder = (string)session.Run("$run.RunFolder").Succeeded().Output.Single().BaseObject;
            ForEach(Render(session, "$run", "Format-List", "Format-List -View BookRun"), text =>
            {
                AssertListLabels(text, "BookRun");
                Assert.Matches(@"(?m)^Title\s+: Broken\s*$", text);
                Assert.Matches(@"(?m)^Author\s+:\s*$", text);
                Assert.Matches(@"(?m)^Status\s+: Processing\s*$", text);
                Assert.Matches(@"(?m)^RunFolder\s+: " + Regex.Escape(folder) + @"\s*$", text);
                Assert.Matches(@"(?m)^NextStage\s+: render\s*$", text);
                Assert.Matches(@"(?m)^Stages\s+: search: Succeeded, transcribe: Succeeded, process: Succeeded, tts: Succeeded, render: Failed, upload: NotRun, shorts: NotRun\s*$", text);
            });
        }

        [Fact]
        public void ABookRunWhoseFolderIsGoneSaysSo()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("database.json"),
                "{\"books\": [{\"main_title\": \"Lost\", \"status\": \"processing\", \"run_folder\": \"2020-01-01_00-00-00_Lost\"}]}");
            session.Run("$run = Get-BookRun Lost").Succeeded();
            ForEach(Render(session, "$run", "Format-List"), text =>
            {
                AssertListLabels(text, "BookRun");
                Assert.Matches(@"(?m)^RunFolder\s+: 2020-01-01_00-00-00_Lost \(missing\)\s*$", text);
                Assert.Matches(@"(?m)^Title\s+: Lost\s*$", text);
            });
        }

        [Fact]
        public void SchedulesShowNameSchedulerTimeDaysAndList()
        {
            using var session = new PowerShellSession();
            // A record as Register-BookBatchSchedule writes it (registering for real would need a scheduler, or a
            // process-wide variable that the schedule tests set).
            Directory.CreateDirectory(session.PathOf("schedules"));
            File.WriteAllText(session.PathOf("schedules", "nightly.json"), System.Text.Json.JsonSerializer.Serialize(new
            {
                name = "nightly", workspace = session.Folder, bookList = session.PathOf("books.txt"), at = "02:05", daysOfWeek = new[] { "Monday", "Friday" },
                scheduler = "SystemdUser", powerShell = "/usr/bin/pwsh", module = "BookBatch.psd1", definitionFiles = new[] { "/u/bookbatch-nightly.timer" },
                registered = DateTimeOffset.Now,
            }));
            session.Run("$schedules = Get-BookBatchSchedule").Succeeded();
            ForEach(Render(session, "$schedules", "Format-Table", "Format-Table -View BookBatchSchedule"), text =>
            {
                AssertTableHeaders(text, "BookBatchSchedule");
                Assert.Matches(@"(?m)^nightly\s+SystemdUser\s+02:05\s+Monday, Friday\s+.*books\.txt\s*$", text);
            });
        }

        [Fact]
        public void StageRunsShowStateAttemptsDurationAndTheLastError()
        {
            var session = _batches.Session;
            session.Run("$stages = (Get-BookRun Broken).Stages").Succeeded();
            ForEach(Render(session, "$stages", "Format-Table", "Format-Table -View StageRun"), text =>
            {
                AssertTableHeaders(text, "StageRun");
                Assert.Matches(@"(?m)^search\s+Succeeded\s+1\s+0:00:\d\d\s+0\s*$", text);
                Assert.Matches(@"(?m)^tts\s+Succeeded\s+1\s+0:00:\d\d\s+0\s*$", text);
                Assert.Matches(@"(?m)^render\s+Failed\s+1\s+0:00:\d\d\s+3\s+exit code 3: render fails on purpose\s*$", text);
                Assert.Matches(@"(?m)^upload\s+NotRun\s+0\s*$", text);
                Assert.Matches(@"(?m)^shorts\s+NotRun\s+0\s*$", text);
            });
        }
    }
}
