using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Tests.Batches;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>Statuses BookBatch does not know, status filters, and workspaces that are not what they seem.</summary>
    public class StatusAndWorkspaceTests
    {
        [Fact]
        public void AnUnknownStatusIsShownRawAndWarnedBeforeTheBookIsProcessed()
        {
            using var batch = new BatchFixture();
            File.WriteAllText(batch.Session.PathOf("database.json"),
                "{\"books\": [{\"main_title\": \"Atomic Habits\", \"author_name\": \"James Clear\", \"status\": \"published\"}]}");
            var before = WorkspaceSnapshot.Of(batch.Workspace);

            var result = batch.Session.Run("'Atomic Habits | James Clear' | Invoke-BookBatch -WhatIf -WarningVariable w -WarningAction SilentlyContinue; $w");

            var warning = Assert.Single(result.Objects<WarningRecord>());
            Assert.Contains("'Atomic Habits | James Clear' has the status 'published'", warning.Message);
            Assert.Contains("Complete-Book", warning.Message);
            var screen = batch.Session.ScreenText;
            Assert.Matches(@"1\s+Atomic Habits \| James Clear\s+'published'\s+Process", screen);
            Assert.Contains("What if: Performing the operation \"Process as new the book whose status 'published' BookBatch does not know", screen);
            Assert.DoesNotContain("Process the new book", screen);
            before.AssertUnchanged();
        }

        [Fact]
        public void AStatusFilterThatIsNoStatusListsTheValidOnesWithoutTheEnginesTypeName()
        {
            using var session = new PowerShellSession();
            var result = session.Run("Get-BookStatus -Status Bogus");
            var record = Assert.Single(result.Errors);
            Assert.Equal(ErrorCategory.InvalidData, record.CategoryInfo.Category);
            Assert.StartsWith("ParameterArgumentValidationError", record.FullyQualifiedErrorId);
            var message = record.Exception.Message;
            Assert.Contains("New,Unknown,Processing,Done", message);
            Assert.DoesNotContain("BookBatch.Engine", message);
            Assert.Empty(session.Run("Get-BookStatus -Status processing").Succeeded().Output); // still any case
        }

        [Fact]
        public void GetBookStatusOutsideAWorkspaceWarns()
        {
            using var session = new PowerShellSession();
            var result = session.Run("Get-BookStatus -WarningVariable w -WarningAction SilentlyContinue; $w").Succeeded();
            var warning = Assert.Single(result.Objects<WarningRecord>());
            Assert.Contains($"'{session.Folder}' is not a BookBatch workspace", warning.Message);
            Assert.Contains("-Workspace", warning.Message);
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void AWorkspaceThatIsAFileSaysSo()
        {
            using var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits\n");
            var before = WorkspaceSnapshot.Of(session.Folder);

            var result = session.Run("Get-BookStatus -Workspace books.txt");

            var record = Refusal.Assert(result, "WorkspaceNotAFolder", ErrorCategory.InvalidArgument, session.PathOf("books.txt"), "is a file, not a folder", "-Path");
            Assert.DoesNotContain("does not exist", Refusal.Message(record));
            before.AssertUnchanged();
        }

        /// <summary>
        /// A folder the user may not read. Root reads every folder, so as root the check runs in a child process of
        /// the test program that has given up root for the unprivileged 'nobody' (setpriv), as a real user would be.
        /// </summary>
        [UnixFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void AnUnreadableWorkspaceIsAnErrorNamingIt()
        {
            var scratch = Path.Combine(Path.GetTempPath(), "bookbatch-tests", "unreadable-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            var workspace = Path.Combine(scratch, "workspace");
            Directory.CreateDirectory(workspace);
            File.WriteAllText(Path.Combine(workspace, "database.json"), "{\"books\": [{\"main_title\": \"Secret\", \"status\": \"done\"}]}");
            File.SetUnixFileMode(scratch, (UnixFileMode)Convert.ToInt32("777", 8));
            File.SetUnixFileMode(workspace, UnixFileMode.None);
            try
            {
                var (code, output) = RunUnprivileged(scratch, "Get-BookStatus -Workspace $args[0]", workspace);
                Assert.True(code == 1, output);
                Assert.Contains("WorkspaceUnreadable", output);
                Assert.Contains("PermissionDenied", output);
                Assert.Contains($"The workspace folder '{workspace}' cannot be read: permission denied", output);
                Assert.DoesNotContain("Secret", output);
            }
            finally
            {
                File.SetUnixFileMode(workspace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                Directory.Delete(scratch, recursive: true);
            }
        }

        // Runs a script through the test program's "script" mode, as 'nobody' when the tests run as root.
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        private static (int Code, string Output) RunUnprivileged(string scratch, string script, string argument)
        {
            var program = typeof(StatusAndWorkspaceTests).Assembly.Location;
            var start = new ProcessStartInfo(ReadOnly.IsRoot ? "setpriv" : "dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            if (ReadOnly.IsRoot)
                foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet" }) start.ArgumentList.Add(a);
            foreach (var a in new[] { program, "script", script, argument }) start.ArgumentList.Add(a);
            // The child's temporary and home folders are the scratch folder, which 'nobody' may write.
            start.Environment["TMPDIR"] = scratch;
            start.Environment["HOME"] = scratch;
            start.Environment["DOTNET_CLI_HOME"] = scratch;
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "the child did not finish");
            return (process.ExitCode, output.Result + error);
        }
    }
}
