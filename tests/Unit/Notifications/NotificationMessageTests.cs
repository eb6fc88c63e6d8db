using System;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Notifications;
using BookBatch.Engine.Settings;
using Xunit;

namespace BookBatch.Tests.Notifications
{
    /// <summary>The bodies and the redaction of notifications, without a batch.</summary>
    public class NotificationMessageTests
    {
        private static BatchEnd FailedBatch(int books, string error) => new(BatchSummary.From(Enumerable.Range(1, books).Select(i =>
            new BookBatchResult("20261130-010203-abcd", i, "Book " + i + " 🙂", "Author", BookOutcome.Failed, null, error, null, null, null,
                Array.Empty<string>(), DateTimeOffset.Now, DateTimeOffset.Now)), interrupted: false), "/ws", "/ws/batches/x.jsonl", null);

        private static NotificationTarget Target(string format) => NotificationSettings.Read(JsonDocument.Parse(
            "{\"notifications\": {\"webhooks\": [{\"url\": \"https://example.invalid/hook/abc\", \"format\": \"" + format + "\"}]}}").RootElement, "bookbatch.json").Targets.Single();

        [Fact]
        public void ADiscordMessageStaysWithinTwoThousandCharactersAndNamesTheRestByCount()
        {
            var body = JsonDocument.Parse(NotificationMessage.For(Target("discord"), FailedBatch(200, new string('x', 300)))).RootElement;
            var content = body.GetProperty("content").GetString()!;
            Assert.InRange(content.Length, 1900, NotificationMessage.DiscordLimit);
            Assert.EndsWith("…", content);

            var few = JsonDocument.Parse(NotificationMessage.For(Target("json"), FailedBatch(25, "e"))).RootElement;
            Assert.Equal(25, few.GetProperty("failedBooks").GetArrayLength()); // BookBatch's JSON lists every book
            var slack = JsonDocument.Parse(NotificationMessage.For(Target("slack"), FailedBatch(25, "e"))).RootElement;
            Assert.Contains("… and 5 more", slack.GetProperty("text").GetString());
        }

        [Fact]
        public void AWebhookIsWrittenDownAsItsSchemeAndHostOnly()
        {
            var target = NotificationSettings.Read(JsonDocument.Parse(
                "{\"notifications\": {\"webhooks\": [{\"url\": \"https://user:pw@hooks.slack.com:8443/services/T00/B00/XYZ?token=abc\"}]}}").RootElement, "bookbatch.json").Targets.Single();
            Assert.Equal(("slack-1", NotificationFormat.Slack), (target.Name, target.Format)); // the host says which service it is
            Assert.Equal("https://hooks.slack.com:8443/…", target.Destination);
            var cleaned = Redaction.Clean("POST https://user:pw@hooks.slack.com:8443/services/T00/B00/XYZ?token=abc failed; path /services/T00/B00/XYZ?token=abc", target.Url);
            Assert.DoesNotContain("XYZ", cleaned);
            Assert.DoesNotContain("token=abc", cleaned);
            Assert.DoesNotContain("pw", cleaned);
        }
    }
}
