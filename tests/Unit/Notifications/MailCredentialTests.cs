using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Credentials;
using BookBatch.Engine.Notifications;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;
using Xunit;

namespace BookBatch.Tests.Notifications
{
    /// <summary>
    /// The mail password stored for the current user (Set-BookBatchMailCredential): a file only its user may read,
    /// used in a real login against the SMTP server of the test process, and its absence a Failed notification.
    /// </summary>
    public sealed class MailCredentialTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "bookbatch-cred-" + Guid.NewGuid().ToString("N"));

        private MailCredentialStore Store => new(Path.Combine(_folder, "config", "bookbatch", "mail-credentials"));

        public void Dispose()
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, true);
        }

        private static NotificationTarget Target(int port, string? passwordVariable = null) => NotificationSettings.Read(JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            notifications = new
            {
                email = new object[]
                {
                    passwordVariable is null
                        ? new { name = "ops", server = "127.0.0.1", port, security = "none", from = "bookbatch@example.com", to = "ops@example.com", userName = SmtpTestServer.User }
                        : (object)new { name = "ops", server = "127.0.0.1", port, security = "none", from = "bookbatch@example.com", to = "ops@example.com", userName = SmtpTestServer.User, passwordVariable },
                },
            },
        })).RootElement, "bookbatch.json").Targets.Single();

        private static BatchEnd End(string workspace) =>
            new(BatchSummary.From(Array.Empty<BookBatchResult>(), false), workspace, Path.Combine(workspace, "batches", "b.jsonl"), null);

        [Fact]
        public void TheFileIsTheUsersAloneFromTheStartAndItsFolderToo()
        {
            if (OperatingSystem.IsWindows()) return; // DPAPI there: the file holds no password in clear
            var store = Store;

            var login = store.Save("SMTP.example.com", "bookbatch@example.com", "s3cret");

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(login.Path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(store.Folder)!));
            Assert.Equal("s3cret", store.Password("smtp.example.com", "bookbatch@example.com")); // the server's case does not matter
            Assert.Null(store.Password("smtp.example.com", "other@example.com"));
            var listed = Assert.Single(store.List());
            Assert.Equal(("smtp.example.com", "bookbatch@example.com", login.Path), (listed.Server, listed.UserName, listed.Path));
            Assert.DoesNotContain("example", Path.GetFileName(login.Path)); // a login never becomes a path
            Assert.Single(Directory.GetFiles(store.Folder)); // no temporary file is left behind

            store.Save("smtp.example.com", "bookbatch@example.com", "n3w");
            Assert.Equal("n3w", store.Password("smtp.example.com", "bookbatch@example.com"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(login.Path));
            Assert.True(store.Remove("smtp.example.com", "bookbatch@example.com"));
            Assert.False(store.Remove("smtp.example.com", "bookbatch@example.com"));
            Assert.Empty(store.List());
        }

        [Fact]
        public async Task AFileOthersMayReadIsRefusedAndTheMailFailsSayingSo()
        {
            if (OperatingSystem.IsWindows()) return;
            var store = Store;
            var login = store.Save("127.0.0.1", SmtpTestServer.User, SmtpTestServer.Password);
            File.SetUnixFileMode(login.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            using var smtp = new SmtpTestServer();

            var unsafeFile = Assert.Throws<MailCredentialUnsafeException>(() => store.Password("127.0.0.1", SmtpTestServer.User));
            var outcome = await BatchNotifier.SendAsync(Target(smtp.Port), End(_folder), store);

            Assert.Contains("chmod 600", unsafeFile.Message);
            Assert.Equal(NotificationResult.Failed, outcome.Result);
            Assert.Contains("may be read by other users", outcome.Error);
            Assert.DoesNotContain(SmtpTestServer.Password, outcome.Error);
            Assert.Empty(smtp.Mails);
        }

        [Fact]
        public async Task AStoredPasswordLogsInToARealServerAndAWrongOneIsRefused()
        {
            using var smtp = new SmtpTestServer();
            var store = Store;
            store.Save("127.0.0.1", SmtpTestServer.User, SmtpTestServer.Password);

            var sent = await BatchNotifier.SendAsync(Target(smtp.Port), End(_folder), store);

            Assert.Equal(NotificationResult.Sent, sent.Result);
            Assert.Equal(new[] { "ops@example.com" }, Assert.Single(smtp.Mails).Recipients);

            store.Save("127.0.0.1", SmtpTestServer.User, "not-the-password");
            var refused = await BatchNotifier.SendAsync(Target(smtp.Port), End(_folder), store);
            Assert.Equal(NotificationResult.Failed, refused.Result);
            Assert.Contains("refused the login of 'bookbatch'", refused.Error);
            Assert.Single(smtp.Mails);
        }

        [Fact]
        public async Task APasswordVariableGoesBeforeTheStoredPassword()
        {
            using var smtp = new SmtpTestServer();
            var store = Store;
            store.Save("127.0.0.1", SmtpTestServer.User, SmtpTestServer.Password);
            var variable = "BOOKBATCH_TEST_SMTP_CRED_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(variable, "not-the-password");

            var outcome = await BatchNotifier.SendAsync(Target(smtp.Port, variable), End(_folder), store);

            Assert.Equal(NotificationResult.Failed, outcome.Result);
            Assert.Contains("refused the login", outcome.Error);
        }

        [Fact]
        public async Task NoStoredPasswordIsAFailedJournalLineAndAWarningThatNamesTheCommand()
        {
            using var smtp = new SmtpTestServer();
            var workspace = new Workspace(Path.Combine(_folder, "ws"));
            var observer = new NotificationsSeen();
            var settings = NotificationSettings.Read(JsonDocument.Parse("{\"notifications\": {\"email\": [" + JsonSerializer.Serialize(new
            {
                name = "ops", server = "127.0.0.1", port = smtp.Port, security = "none", from = "bookbatch@example.com", to = "ops@example.com", userName = SmtpTestServer.User,
            }) + "]}}").RootElement, "bookbatch.json");
            string journalPath;
            using (var journal = BatchJournal.Create(workspace, "20261205-150000-abcd"))
            {
                journalPath = journal.Path;
                await new BatchNotifier(settings, workspace.Root, journal, observer, Store).BatchEndedAsync(BatchSummary.From(Array.Empty<BookBatchResult>(), false), null);
            }

            var line = JsonDocument.Parse(File.ReadAllLines(journalPath).Single()).RootElement;
            Assert.Equal(("notification", "ops", "Failed"), (line.GetProperty("event").GetString(), line.GetProperty("target").GetString(), line.GetProperty("result").GetString()));
            Assert.Contains("no password is stored for 'bookbatch' at 127.0.0.1", line.GetProperty("error").GetString());
            Assert.Contains("Set-BookBatchMailCredential -Server '127.0.0.1' -Credential (Get-Credential 'bookbatch')", line.GetProperty("error").GetString());
            var told = Assert.Single(observer.Outcomes);
            Assert.Contains("was not sent", told.ToString());
            Assert.Contains("Set-BookBatchMailCredential", told.ToString());
            Assert.Empty(smtp.Mails);
        }

        private sealed class NotificationsSeen : IBatchObserver
        {
            public List<NotificationOutcome> Outcomes { get; } = new();
            public void BookStarted(PlannedBook book, string runFolder, string? note) { }
            public void StageStarted(PlannedBook book, string stage, int stageNumber, int stageCount, int attempt) { }
            public void BookWaiting(PlannedBook book, BookWait wait) { }
            public void StageEnded(PlannedBook book, string stage, int attempt, StageOutcome outcome) { }
            public void BookFinished(BookBatchResult result) { }
            public void BookError(PlannedBook book, Exception error) { }
            public void Warning(string message) { }
            public void Note(string message) { }
            public void NotificationEnded(NotificationOutcome outcome) => Outcomes.Add(outcome);
        }
    }
}
