using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Runs;
using BookBatch.Tests.Hosting;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit;
using Xunit.Abstractions;

namespace BookBatch.Tests.Browser
{
    /// <summary>The browser tests measure a page against the clock: they run alone, not beside tests that start processes.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class BrowserCollection
    {
        public const string Name = "Browser";
    }

    /// <summary>
    /// The dashboard and the exported report as a browser shows them (headless Chromium): the page follows a running
    /// batch within a second of each stage's end, and the report is one file that fetches nothing.
    /// </summary>
    [Trait("Category", "Browser")]
    [Collection(BrowserCollection.Name)]
    public class DashboardBrowserTests
    {
        private static readonly string[] Stages = { "fetch", "narrate", "publish" };
        private readonly ITestOutputHelper _output;

        public DashboardBrowserTests(ITestOutputHelper output) => _output = output;

        /// <summary>A workspace whose three stages sleep <paramref name="seconds"/>; the middle one has one place.</summary>
        private static PowerShellSession Workspace(double seconds)
        {
            var session = new PowerShellSession();
            var command = "\"command\": \"sleep\", \"arguments\": [\"" + seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"]";
            var stages = Stages.Select(s => $"{{\"name\": \"{s}\", {command}{(s == "narrate" ? ", \"concurrency\": 1" : string.Empty)}}}");
            File.WriteAllText(session.PathOf("bookbatch.json"), "{\"delaySeconds\": 0, \"stages\": [" + string.Join(",", stages) + "]}");
            return session;
        }

        private sealed record Seen(DateTimeOffset At, Dictionary<string, (string Stage, string State)> Books, Dictionary<string, int> InUse, string History);

        [BrowserFact]
        public void TheDashboardFollowsARunningBatchWithinASecondOfEachStageEnd()
        {
            using var session = Workspace(1.5);
            var books = new[] { "Slow Book 1", "Slow Book 2", "Slow Book 3" };
            var url = session.Run("(Start-BookBatchDashboard).Url").Succeeded().Output.Single().ToString();
            using var driver = Chromium.Start();
            driver.Navigate().GoToUrl(url);
            WaitFor(driver, () => Script<string>(driver, "return document.getElementById('status').textContent").StartsWith("live"), "the page to go live");

            var clock = Stopwatch.StartNew();
            var batch = Task.Run(() => session.Run("$args | Invoke-BookBatch -ThrottleLimit 3 -DelaySeconds 0 -Confirm:$false", books.Cast<object>().ToArray()));
            var seen = new List<Seen>();
            string? shot = null;
            string? batchId = null;
            while (clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                var look = Look(driver);
                seen.Add(look);
                if (shot is null && look.Books.Count == 3 && look.Books.Values.Any(b => b.State == "slot")) shot = Chromium.Screenshot(driver, "dashboard-running.png");
                if (batch.IsCompleted)
                {
                    batchId ??= batch.Result.Succeeded().Output.Select(o => o.Properties["BatchId"].Value.ToString()).First();
                    if (look.History.Contains(batchId!) && look.Books.Count == 0) break;
                }
                Thread.Sleep(50);
            }
            Chromium.Screenshot(driver, "dashboard-finished.png");
            Assert.True(batch.IsCompleted, "the batch did not end in 60 s");
            Assert.NotNull(batchId);
            Assert.Contains(batchId!, seen.Last().History);
            _output.WriteLine($"{seen.Count} looks at the page in {clock.Elapsed.TotalSeconds:0.0} s; screenshot {shot}");

            // Each stage's end, as the run details record it, shows on the page within a second: the book's row leaves that stage.
            foreach (var title in books)
            {
                var details = RunDetailsOf(session, title);
                for (var i = 0; i < Stages.Length; i++)
                {
                    var attempt = details.Stage(Stages[i]).Attempts.Single();
                    var ended = attempt.Ended!.Value;
                    Assert.Contains(seen, s => s.At < ended && s.Books.TryGetValue(title, out var b) && b.Stage == Stages[i] && b.State == "running");
                    var moved = seen.FirstOrDefault(s => s.At >= ended && (!s.Books.TryGetValue(title, out var b) || b.Stage != Stages[i]));
                    Assert.True(moved != null, $"{title}: the page never left {Stages[i]}");
                    // Late for sure: the page was last seen still on the stage this long after its end. The look that saw it move on
                    // bounds it from above only: a look can stall (the driver, a busy machine) while the page has long moved on.
                    var stale = seen.LastOrDefault(s => s.At >= ended && s.At < moved!.At && s.Books.TryGetValue(title, out var b) && b.Stage == Stages[i]);
                    var late = stale is null ? TimeSpan.Zero : stale.At - ended;
                    _output.WriteLine($"{title} {Stages[i]} ended {ended:HH:mm:ss.fff}, page last seen on it {(stale is null ? "before" : $"at {stale.At:HH:mm:ss.fff}")}, " +
                                      $"moved on by {moved!.At:HH:mm:ss.fff} (+{(moved.At - ended).TotalMilliseconds:0} ms)");
                    Assert.True(late <= TimeSpan.FromSeconds(1), $"{title}: {Stages[i]} ended at {ended:HH:mm:ss.fff}, the page still showed it {late.TotalMilliseconds:0} ms later");
                }
            }
            // The stage of one place was seen full, with a book waiting for it, and free again.
            Assert.Contains(seen, s => s.InUse.TryGetValue("narrate", out var n) && n == 1);
            Assert.Contains(seen, s => s.Books.Values.Any(b => b.State == "slot" && b.Stage == "narrate"));
            Assert.Contains(seen, s => s.InUse.TryGetValue("narrate", out var n) && n == 0);
            Assert.True(seen.Max(s => s.InUse.GetValueOrDefault("fetch")) >= 2, "fetch (no limit) never ran two books at once on the page");
            Assert.NotNull(shot);
        }

        private static Seen Look(ChromeDriver driver)
        {
            // The time is the page's own, taken as it reads its rows (the same clock as the run details' times).
            var json = Script<string>(driver, @"return JSON.stringify({ at: Date.now(),
                books: Array.from(document.querySelectorAll('#books tr[data-title]')).map(r => [r.dataset.title, r.dataset.stage, r.dataset.state]),
                stages: Array.from(document.querySelectorAll('#stages tr[data-stage]')).map(r => [r.dataset.stage, r.dataset.inUse]),
                history: (document.getElementById('history') || {}).textContent || '' })");
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var at = DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("at").GetInt64());
            var books = root.GetProperty("books").EnumerateArray().ToDictionary(b => b[0].GetString()!, b => (b[1].GetString()!, b[2].GetString()!));
            var inUse = root.GetProperty("stages").EnumerateArray().ToDictionary(s => s[0].GetString()!, s => int.Parse(s[1].GetString()!));
            return new Seen(at, books, inUse, root.GetProperty("history").GetString()!);
        }

        private static RunDetails RunDetailsOf(PowerShellSession session, string title)
        {
            var folder = session.Run("(Get-BookRun $args[0]).RunFolder", title).Succeeded().Output.Single().ToString();
            return RunFolder.ReadDetails(Path.IsPathRooted(folder) ? folder : session.PathOf("runs", folder))!;
        }

        private static T Script<T>(IWebDriver driver, string script) =>
            (T)(((IJavaScriptExecutor)driver).ExecuteScript(script) ?? throw new InvalidOperationException("The page's script returned nothing: " + script));

        private static void WaitFor(IWebDriver driver, Func<bool> condition, string what)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException("Waited 20 s for " + what);
                Thread.Sleep(50);
            }
        }

        [BrowserFact]
        public void TheReportOfAFortyBookBatchOpensWithoutANetworkRequestAndDrawsTheJournalsTimes()
        {
            using var session = Workspace(0.1);
            var titles = Enumerable.Range(1, 39).Select(i => $"Report Book {i}").Append("Evil <script>alert(1)</script> & Co").ToArray();
            var results = session.Run("$args | Invoke-BookBatch -ThrottleLimit 8 -DelaySeconds 0 -Confirm:$false", titles.Cast<object>().ToArray()).Succeeded();
            var batchId = results.Output.Select(o => o.Properties["BatchId"].Value.ToString()).Distinct().Single();
            var report = session.PathOf("report.html");
            session.Run("Export-BookBatchReport -Id $args[0] -Path report.html", batchId).Succeeded();
            Assert.DoesNotContain("<script", File.ReadAllText(report));

            using var driver = Chromium.Start();
            var clock = Stopwatch.StartNew();
            driver.Navigate().GoToUrl(new Uri(report).AbsoluteUri);
            var requests = driver.Manage().Logs.GetLog("performance")
                .Select(e => JsonDocument.Parse(e.Message).RootElement.GetProperty("message"))
                .Where(m => m.GetProperty("method").GetString() == "Network.requestWillBeSent")
                .Select(m => m.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!).ToList();
            Assert.Contains(requests, r => r.StartsWith("file://", StringComparison.Ordinal));
            Assert.DoesNotContain(requests, r => !r.StartsWith("file://", StringComparison.Ordinal));
            Assert.Equal(0L, Script<long>(driver, "return performance.getEntriesByType('resource').length"));
            Assert.Equal(0L, Script<long>(driver, "return document.scripts.length"));
            Chromium.Screenshot(driver, "report.png");

            var rows = Script<IReadOnlyCollection<object>>(driver, "return Array.from(document.querySelectorAll('svg.timeline g.row')).map(g => g.dataset.book)");
            Assert.Equal(40, rows.Count);
            Assert.Contains(rows, r => ((string?)r ?? "").StartsWith("Evil <script>alert(1)</script> & Co", StringComparison.Ordinal));

            // Every attempt the journal records is a bar of its book's row, drawn where its start and end are.
            var svg = driver.FindElement(By.CssSelector("svg.timeline"));
            var origin = long.Parse(svg.GetDomAttribute("data-origin")!);
            var msPerPixel = double.Parse(svg.GetDomAttribute("data-ms-per-px")!, System.Globalization.CultureInfo.InvariantCulture);
            var left = double.Parse(svg.GetDomAttribute("data-left")!, System.Globalization.CultureInfo.InvariantCulture);
            var bars = Script<IReadOnlyCollection<object>>(driver, @"return Array.from(document.querySelectorAll('svg.timeline rect.bar')).map(r => {
                    const box = r.getBBox();
                    return [r.closest('g.row').dataset.book, r.dataset.stage, Number(r.dataset.attempt), box.x, box.width]; })")
                .Cast<IReadOnlyCollection<object>>().Select(b => b.ToArray()).ToList();
            var journal = File.ReadAllLines(session.PathOf("batches", batchId + ".jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("event").GetString() == "stage").ToList();
            Assert.Equal(40 * Stages.Length, journal.Count);
            Assert.Equal(journal.Count, bars.Count);
            foreach (var attempt in journal)
            {
                var book = attempt.GetProperty("book").GetString();
                var stage = attempt.GetProperty("stage").GetString();
                var start = attempt.GetProperty("started").GetDateTimeOffset().ToUnixTimeMilliseconds();
                var end = attempt.GetProperty("time").GetDateTimeOffset().ToUnixTimeMilliseconds();
                var bar = bars.Single(b => (string?)b[0] == book && (string?)b[1] == stage);
                // Half a pixel, and the millisecond the journal's times and the origin are rounded to here.
                var tolerance = 0.5 + 2 / msPerPixel;
                Assert.Equal(left + (start - origin) / msPerPixel, Convert.ToDouble(bar[3]), tolerance);
                Assert.Equal(Math.Max((end - start) / msPerPixel, 1.5), Convert.ToDouble(bar[4]), tolerance);
            }
            _output.WriteLine($"report of {rows.Count} books, {bars.Count} bars checked in the browser in {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }
}
