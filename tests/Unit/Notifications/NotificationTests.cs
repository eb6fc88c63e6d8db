using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Notifications
{
    /// <summary>Notifications of a batch's end (bookbatch.json's "notifications"), through Invoke-BookBatch as users run it.</summary>
    public class NotificationTests
    {
        private const string Secret = "T0KEN-s3cret-path";
        private const string QuerySecret = "sig=q5ecret";

        private static string Settings(IEnumerable<object> webhooks, IEnumerable<object>? commands = null) =>
            "\"notifications\": " + JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["webhooks"] = webhooks.ToArray(),
                ["commands"] = (commands ?? Array.Empty<object>()).ToArray(),
            });

        private static List<JsonElement> JournalLines(BatchFixture batch, string kind)
        {
            var journal = Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl").Single();
            return File.ReadAllLines(journal).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("event").GetString() == kind).ToList();
        }

        // Every file of the workspace, and the host's screen: none may hold a webhook's token.
        private static void AssertNoSecretWritten(BatchFixture batch)
        {
            foreach (var file in Directory.GetFiles(batch.Workspace, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "bookbatch.json"))
            {
                var text = File.ReadAllText(file);
                Assert.False(text.Contains(Secret) || text.Contains(QuerySecret), $"{file} holds the webhook's secret");
            }
            Assert.DoesNotContain(Secret, batch.Session.ScreenText);
        }

        [Fact]
        public void EachWebhookGetsTheSummaryInItsServicesFormatAfterTheJournalsEnd()
        {
            using var batch = new BatchFixture();
            using var hook = new WebhookListener(batch.Workspace, status: 200);
            var formats = new[] { "slack", "teams", "discord", "json" };
            batch.WriteSettings(60, 0, 0.05, Settings(formats.Select(f => new { name = f + "-hook", format = f, url = hook.Url($"/{f}/{Secret}?{QuerySecret}") })));
            batch.FailAt("tts");

            var results = batch.Session.Run("'Deep Work | Cal Newport', 'Atomic <!channel> @everyone' | Invoke-BookBatch").Objects<BookBatchResult>().ToList();

            Assert.Equal(new[] { BookOutcome.Failed, BookOutcome.Failed }, results.Select(r => r.Outcome));
            var requests = hook.Requests.ToDictionary(r => r.Path.Split('/')[1]);
            Assert.Equal(formats.OrderBy(f => f), requests.Keys.OrderBy(k => k));
            Assert.All(requests.Values, r => Assert.Equal(("POST", true), (r.Method, r.JournalHadEnd)));
            Assert.All(requests.Values, r => Assert.StartsWith("application/json", r.ContentType));

            var slack = JsonDocument.Parse(requests["slack"].Body).RootElement;
            Assert.Contains("2 book(s), 0 success, 0 resumed, 2 failed", slack.GetProperty("text").GetString());
            Assert.Contains("&lt;!channel&gt;", slack.GetProperty("text").GetString()); // a title makes no Slack mention
            var sections = slack.GetProperty("blocks").EnumerateArray().ToList();
            Assert.All(sections, b => Assert.Equal(("section", "mrkdwn"), (b.GetProperty("type").GetString(), b.GetProperty("text").GetProperty("type").GetString())));
            Assert.Contains("Deep Work | Cal Newport: stage 'tts' failed: exit code 3", sections[1].GetProperty("text").GetProperty("text").GetString());

            var discord = JsonDocument.Parse(requests["discord"].Body).RootElement;
            Assert.Contains("Deep Work | Cal Newport: stage 'tts' failed", discord.GetProperty("content").GetString());
            Assert.Equal(0, discord.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());

            var teams = JsonDocument.Parse(requests["teams"].Body).RootElement;
            Assert.Equal("message", teams.GetProperty("type").GetString());
            var card = teams.GetProperty("attachments")[0];
            Assert.Equal("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
            Assert.Equal("AdaptiveCard", card.GetProperty("content").GetProperty("type").GetString());
            var facts = card.GetProperty("content").GetProperty("body").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "FactSet");
            Assert.Contains(facts.GetProperty("facts").EnumerateArray(), f => f.GetProperty("title").GetString() == "Failed" && f.GetProperty("value").GetString() == "2");

            var json = JsonDocument.Parse(requests["json"].Body).RootElement;
            Assert.Equal((results[0].BatchId, "failure", 2, 2), (json.GetProperty("batch").GetString(), json.GetProperty("status").GetString(),
                json.GetProperty("total").GetInt32(), json.GetProperty("failed").GetInt32()));
            Assert.Equal("Deep Work", json.GetProperty("failedBooks")[0].GetProperty("title").GetString());
            Assert.Contains("exit code 3", json.GetProperty("failedBooks")[0].GetProperty("error").GetString());

            var lines = JournalLines(batch, "notification");
            Assert.Equal(formats.Select(f => f + "-hook").OrderBy(n => n), lines.Select(l => l.GetProperty("target").GetString()).OrderBy(n => n));
            Assert.All(lines, l => Assert.Equal(("Sent", 200, $"http://127.0.0.1:{hook.Port}/…"),
                (l.GetProperty("result").GetString(), l.GetProperty("statusCode").GetInt32(), l.GetProperty("destination").GetString())));
            AssertNoSecretWritten(batch);
        }

        [Fact]
        public void AWebhookThatRefusesOrHangsCostsTheBatchSecondsAndIsReported()
        {
            using var batch = new BatchFixture();
            using var hanging = new WebhookListener(batch.Workspace, status: null);
            using var failing = new WebhookListener(batch.Workspace, status: 500);
            var closed = WebhookListener.FreePort();
            batch.WriteSettings(60, 0, 0.05, Settings(new object[]
            {
                new { name = "refused", format = "slack", url = $"http://127.0.0.1:{closed}/services/{Secret}" },
                new { name = "hangs", format = "json", url = hanging.Url($"/hook/{Secret}?{QuerySecret}") },
                new { name = "answers-500", format = "discord", url = failing.Url($"/api/webhooks/{Secret}") },
            }));

            var clock = Stopwatch.StartNew();
            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch -WarningVariable w; $w");
            clock.Stop();

            Assert.Empty(result.Errors);
            Assert.Null(result.Terminating);
            Assert.Equal(BookOutcome.Success, result.Objects<BookBatchResult>().Single().Outcome);
            // The stages take a second or two; the hanging webhook 5 s (its time-out); nothing waits longer.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the batch took {clock.Elapsed}");
            var warnings = result.Objects<WarningRecord>().Select(w => w.Message).ToList();
            Assert.Equal(3, warnings.Count);
            Assert.Contains(warnings, w => w.Contains("'refused'") && w.Contains("not sent"));
            Assert.Contains(warnings, w => w.Contains("'hangs'") && w.Contains("no answer within 5 s"));
            Assert.Contains(warnings, w => w.Contains("'answers-500'") && w.Contains("HTTP 500"));
            Assert.All(warnings, w => Assert.DoesNotContain(Secret, w));

            var lines = JournalLines(batch, "notification").ToDictionary(l => l.GetProperty("target").GetString()!);
            Assert.Equal("Failed", lines["refused"].GetProperty("result").GetString());
            Assert.Equal("TimedOut", lines["hangs"].GetProperty("result").GetString());
            Assert.InRange(lines["hangs"].GetProperty("milliseconds").GetInt64(), 4000, 8000);
            Assert.Equal(("Failed", 500), (lines["answers-500"].GetProperty("result").GetString(), lines["answers-500"].GetProperty("statusCode").GetInt32()));
            Assert.Single(hanging.Requests); // it was asked, and did not answer
            AssertNoSecretWritten(batch);
        }

        [Fact]
        public void ACommandGetsTheSummaryOnItsInputAndAFailingOneIsReported()
        {
            using var batch = new BatchFixture();
            var sink = batch.Session.PathOf("notified.txt");
            var tests = typeof(NotificationTests).Assembly.Location;
            batch.WriteSettings(60, 0, 0.05, Settings(Array.Empty<object>(), new object[]
            {
                new { name = "mail", command = "dotnet", arguments = new[] { tests, "notify-sink", sink, "0" } },
                new { name = "broken", command = "dotnet", arguments = new[] { tests, "notify-sink", batch.Session.PathOf("broken.txt"), "3" } },
                new { name = "missing", command = "no-such-notifier-" + Guid.NewGuid().ToString("N") },
            }));

            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch -WarningVariable w; $w");

            var book = result.Objects<BookBatchResult>().Single();
            Assert.Equal(BookOutcome.Success, book.Outcome);
            var text = File.ReadAllText(sink).Split('\n');
            var sent = JsonDocument.Parse(text[0]).RootElement;
            Assert.Equal((book.BatchId, "success", 1), (sent.GetProperty("batch").GetString(), sent.GetProperty("status").GetString(), sent.GetProperty("success").GetInt32()));
            Assert.Contains("BOOKBATCH_BATCH_ID=" + book.BatchId, text);
            Assert.Contains("BOOKBATCH_WORKSPACE=" + batch.Workspace, text);
            Assert.Contains("BOOKBATCH_JOURNAL=" + Path.Combine(batch.Workspace, "batches", book.BatchId + ".jsonl"), text);
            Assert.Contains("cwd=" + batch.Workspace, text);

            var lines = JournalLines(batch, "notification").ToDictionary(l => l.GetProperty("target").GetString()!);
            Assert.Equal(("Sent", 0), (lines["mail"].GetProperty("result").GetString(), lines["mail"].GetProperty("exitCode").GetInt32()));
            Assert.Equal(("Failed", 3), (lines["broken"].GetProperty("result").GetString(), lines["broken"].GetProperty("exitCode").GetInt32()));
            Assert.Equal("Failed", lines["missing"].GetProperty("result").GetString());
            var warnings = result.Objects<WarningRecord>().Select(w => w.Message).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.Contains(warnings, w => w.Contains("'broken'") && w.Contains("exited with code 3"));
            Assert.Contains(warnings, w => w.Contains("'missing'") && w.Contains("could not start"));

            // The batch's summary says how its notifications went, from its journal or from its results piped in.
            foreach (var command in new[] { "Get-BatchSummary", "Get-BatchSummary -Id $args[0]", "$args[1] | Get-BatchSummary" })
            {
                var summary = batch.Session.Run(command, book.BatchId, book).Succeeded().Objects<BatchSummary>().Single();
                Assert.Equal(new[] { ("broken", "Failed"), ("mail", "Sent"), ("missing", "Failed") },
                    summary.Notifications.Select(n => (n.Target, n.Result.ToString())).OrderBy(n => n.Item1));
            }
        }

        [Fact]
        public void OnlyTheTargetsWhoseWhenMatchesAreTold()
        {
            using var batch = new BatchFixture();
            var tests = typeof(NotificationTests).Assembly.Location;
            object Sink(string name, object when) => new { name, when, command = "dotnet", arguments = new[] { tests, "notify-sink", batch.Session.PathOf(name + ".txt"), "0" } };
            batch.WriteSettings(60, 0, 0.05, Settings(Array.Empty<object>(), new[]
            {
                Sink("always", "always"), Sink("on-failure", "failure"), Sink("on-review", new[] { "review" }), Sink("failure-or-review", new[] { "failure", "review" }),
            }));

            batch.Session.Run("'Deep Work' | Invoke-BookBatch").Succeeded();
            Assert.Equal(new[] { "always" }, JournalLines(batch, "notification").Select(l => l.GetProperty("target").GetString()));

            File.Delete(Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl").Single());
            batch.FailAt("search");
            batch.Session.Run("'The Alchemist' | Invoke-BookBatch");
            Assert.Equal(new[] { "always", "failure-or-review", "on-failure" },
                JournalLines(batch, "notification").Select(l => l.GetProperty("target").GetString()).OrderBy(n => n));
        }

        [Theory]
        [InlineData("{\"webhooks\": [{\"url\": \"ftp://example.invalid/x\"}]}", "notifications.webhooks[0].url", "http or https")]
        [InlineData("{\"webhooks\": [{\"url\": \"https://example.invalid/x\", \"secret\": 1}]}", "notifications.webhooks[0].secret", "is not a setting")]
        [InlineData("{\"webhook\": []}", "notifications.webhook", "did you mean \"webhooks\"?")]
        [InlineData("{\"webhooks\": [{\"url\": \"https://example.invalid/x\", \"format\": \"email\"}]}", "notifications.webhooks[0].format", "slack, teams, discord, json")]
        [InlineData("{\"webhooks\": [{\"url\": \"https://example.invalid/x\", \"when\": \"sometimes\"}]}", "notifications.webhooks[0].when", "always, failure, review")]
        [InlineData("{\"commands\": [{\"command\": \"mail\", \"timeoutSeconds\": 60}]}", "notifications.commands[0].timeoutSeconds", "at most 30")]
        [InlineData("{\"commands\": [{\"arguments\": [\"x\"]}]}", "notifications.commands[0].command", "is required")]
        [InlineData("{\"commands\": [{\"command\": \"a\", \"name\": \"n\"}, {\"command\": \"b\", \"name\": \"N\"}]}", "notifications.commands[1].name", "two notifications")]
        [InlineData("{\"email\": [{\"server\": \"smtp.example.com\", \"security\": \"none\", \"from\": \"a@example.com\", \"to\": \"b@example.com\"}]}", "notifications.email[0].security", "only to a server on this machine")]
        [InlineData("{\"email\": [{\"server\": \"smtp.example.com\", \"from\": \"a@example.com\", \"to\": \"b@example.com\", \"password\": \"x\"}]}", "notifications.email[0].password", "is not a setting")]
        [InlineData("{\"email\": [{\"server\": \"smtp.example.com\", \"from\": \"a@example.com\", \"to\": \"b@example.com\\r\\nBcc: c@example.com\"}]}", "notifications.email[0].to", "is not an address")]
        [InlineData("{\"email\": [{\"server\": \"smtp.example.com\", \"from\": \"a@example.com\", \"to\": \"b@example.com\", \"userName\": \"a\", \"passwordVariable\": \" \"}]}", "notifications.email[0].passwordVariable", "environment variable")]
        public void BadNotificationSettingsAreRefusedBeforeAnyBookStarts(string section, string key, string problem)
        {
            using var batch = new BatchFixture(extraSettings: "\"notifications\": " + section);
            var error = batch.Session.Throws("'Deep Work' | Invoke-BookBatch");
            Assert.StartsWith("BookBatchSettingsInvalid,", error!.FullyQualifiedErrorId);
            Assert.Contains($"\"{key}\"", error.ToString());
            Assert.Contains(problem, error.ToString());
            Assert.Empty(batch.StageRuns());
            Assert.False(Directory.Exists(batch.Session.PathOf("batches")) && Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl").Length > 0);
        }
    }
}
