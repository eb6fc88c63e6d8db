using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using MimeKit;
using Xunit;

namespace BookBatch.Tests.Notifications
{
    /// <summary>The completion mail (bookbatch.json's notifications.email), sent by Invoke-BookBatch to a real SMTP server in the test process.</summary>
    public class MailTests
    {
        private static string Settings(params object[] email) => "\"notifications\": " + JsonSerializer.Serialize(new Dictionary<string, object> { ["email"] = email });

        private static List<JsonElement> NotificationLines(BatchFixture batch)
        {
            var journal = Directory.GetFiles(batch.Session.PathOf("batches"), "*.jsonl").Single();
            return File.ReadAllLines(journal).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("event").GetString() == "notification").ToList();
        }

        private static string Variable(string test)
        {
            var name = "BOOKBATCH_TEST_SMTP_" + test.ToUpperInvariant();
            Environment.SetEnvironmentVariable(name, SmtpTestServer.Password);
            return name;
        }

        [Fact]
        public void TheMailArrivesOverStartTlsWithItsSubjectBothBodiesAndEveryRecipient()
        {
            var (certificate, sha256) = SmtpTestServer.SelfSigned();
            using var smtp = new SmtpTestServer(certificate);
            using var batch = new BatchFixture();
            batch.WriteSettings(60, 0, 0.05, Settings(new
            {
                name = "ops", server = "localhost", port = smtp.Port, security = "starttls", trustCertificate = sha256, from = "bookbatch@example.com",
                to = new[] { "ops@example.com", "boss@example.com" }, userName = SmtpTestServer.User, passwordVariable = Variable("arrives"),
            }));
            batch.FailAt("tts");

            var results = batch.Session.Run("'Deep <b>Work</b> | Cal Newport' | Invoke-BookBatch -MailTo night@example.com").Objects<BookBatchResult>().ToList();

            Assert.Equal(BookOutcome.Failed, results.Single().Outcome);
            var mail = Assert.Single(smtp.Mails);
            Assert.Equal(new[] { "boss@example.com", "night@example.com", "ops@example.com" }, mail.Recipients.OrderBy(r => r));
            Assert.Equal($"[BookBatch] FAILED {Path.GetFileName(batch.Workspace)}: 1 failed, 0 review, 0 published, 0 skipped of 1 (batch {results[0].BatchId})", mail.Message.Subject);
            Assert.Equal("bookbatch@example.com", mail.Message.From.Mailboxes.Single().Address);
            var text = mail.Message.TextBody!;
            Assert.Contains("Failed: Deep <b>Work</b> | Cal Newport", text);
            Assert.Contains("stage 'tts' failed", text);
            Assert.Matches(@"log .*tts\.log:\n  \| ", text.Replace("\r\n", "\n")); // the last lines of the failed stage's log
            Assert.Contains("Journal: " + Path.Combine(batch.Workspace, "batches"), text);
            var html = mail.Message.HtmlBody!;
            Assert.Contains("Deep &lt;b&gt;Work&lt;/b&gt; | Cal Newport", html); // a title is text in the HTML body, never markup
            Assert.DoesNotContain("<b>Work</b>", html);
            Assert.Contains("<pre>", html);
            var line = Assert.Single(NotificationLines(batch));
            Assert.Equal(("ops", "email", "Sent", $"smtp://localhost:{smtp.Port}"),
                (line.GetProperty("target").GetString(), line.GetProperty("format").GetString(), line.GetProperty("result").GetString(), line.GetProperty("destination").GetString()));
        }

        [Fact]
        public void ASelfSignedCertificateIsRefusedUnlessTheSettingsTrustIt()
        {
            var (certificate, _) = SmtpTestServer.SelfSigned();
            using var smtp = new SmtpTestServer(certificate);
            using var batch = new BatchFixture();
            batch.WriteSettings(60, 0, 0.05, Settings(new { name = "untrusted", server = "localhost", port = smtp.Port, from = "bookbatch@example.com", to = "ops@example.com" }));

            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch -WarningVariable w; $w");

            Assert.Empty(smtp.Mails);
            Assert.Equal(BookOutcome.Success, result.Objects<BookBatchResult>().Single().Outcome);
            var warning = Assert.Single(result.Objects<WarningRecord>()).Message;
            Assert.Contains("'untrusted'", warning);
            Assert.Contains("certificate is not trusted", warning);
            Assert.Equal("Failed", Assert.Single(NotificationLines(batch)).GetProperty("result").GetString());
        }

        [Fact]
        public void AWrongPasswordARefusedRecipientAndAnUnreachableServerAreEachAFailedLineAndAWarning()
        {
            using var smtp = new SmtpTestServer();
            using var batch = new BatchFixture();
            var variable = Variable("wrong");
            Environment.SetEnvironmentVariable(variable + "_BAD", "not-the-password");
            batch.WriteSettings(60, 0, 0.05, Settings(
                new { name = "wrong-password", server = "127.0.0.1", port = smtp.Port, security = "none", from = "bookbatch@example.com", to = "ops@example.com",
                    userName = SmtpTestServer.User, passwordVariable = variable + "_BAD" },
                new { name = "refused", server = "127.0.0.1", port = smtp.Port, security = "none", from = "bookbatch@example.com", to = "refused@example.com",
                    userName = SmtpTestServer.User, passwordVariable = variable },
                new { name = "unreachable", server = "127.0.0.1", port = WebhookListener.FreePort(), security = "none", from = "bookbatch@example.com", to = "ops@example.com",
                    timeoutSeconds = 3 }));

            var clock = Stopwatch.StartNew();
            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch -WarningVariable w; $w");
            clock.Stop();

            Assert.Empty(result.Errors);
            Assert.Equal(BookOutcome.Success, result.Objects<BookBatchResult>().Single().Outcome);
            Assert.Empty(smtp.Mails);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the batch took {clock.Elapsed}");
            var lines = NotificationLines(batch).ToDictionary(l => l.GetProperty("target").GetString()!);
            Assert.Equal(new[] { "refused", "unreachable", "wrong-password" }, lines.Keys.OrderBy(k => k));
            Assert.All(lines.Values, l => Assert.Equal("Failed", l.GetProperty("result").GetString()));
            Assert.Contains("refused the login", lines["wrong-password"].GetProperty("error").GetString());
            Assert.Contains("refused the recipient refused@example.com", lines["refused"].GetProperty("error").GetString());
            var warnings = result.Objects<WarningRecord>().Select(w => w.Message).ToList();
            Assert.Equal(3, warnings.Count);
            Assert.All(warnings, w => Assert.Contains("was not sent", w));
            foreach (var file in Directory.GetFiles(batch.Workspace, "*", SearchOption.AllDirectories))
                Assert.DoesNotContain(SmtpTestServer.Password, File.ReadAllText(file));
            Assert.DoesNotContain(SmtpTestServer.Password, batch.Session.ScreenText);
        }
    
        [Fact]
        public void TheMailArrivesOverImplicitTls()
        {
            var (certificate, sha256) = SmtpTestServer.SelfSigned();
            using var smtp = new SmtpTestServer(certificate, implicitTls: true);
            using var batch = new BatchFixture();
            batch.WriteSettings(60, 0, 0.05, Settings(new
            {
                name = "ops", server = "localhost", port = smtp.Port, security = "tls", trustCertificate = sha256, from = "bookbatch@example.com",
                to = "ops@example.com", userName = SmtpTestServer.User, passwordVariable = Variable("implicit"),
            }));

            var result = batch.Session.Run("'Deep Work' | Invoke-BookBatch -WarningVariable w; $w");

            Assert.Empty(result.Objects<WarningRecord>());
            Assert.Equal(new[] { "ops@example.com" }, Assert.Single(smtp.Mails).Recipients);
            var line = Assert.Single(NotificationLines(batch));
            Assert.Equal(("Sent", $"smtps://localhost:{smtp.Port}"), (line.GetProperty("result").GetString(), line.GetProperty("destination").GetString()));
        }

        [Fact]
        public void NoLineBreakOfAFolderNameReachesTheSubject()
        {
            var end = new BookBatch.Engine.Notifications.BatchEnd(BatchSummary.From(Array.Empty<BookBatchResult>(), false), "/srv/chan\r\nBcc: x@example.com", "/srv/j.jsonl", null);

            var subject = BookBatch.Engine.Notifications.MailContent.Subject(end);

            Assert.DoesNotContain('\r', subject);
            Assert.DoesNotContain('\n', subject);
            Assert.StartsWith("[BookBatch] OK chan  Bcc: x@example.com: 0 failed", subject);
        }
    }
}
