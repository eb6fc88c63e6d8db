using System.IO;
using System.Management.Automation;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>bookbatch.json that is wrong: refused before any work, naming the file, the key and what to do; nothing on disk changes.</summary>
    public class SettingsTests
    {
        private const string Stage = "{\"name\": \"search\", \"command\": \"dotnet\", \"arguments\": [\"--version\"]}";

        private static (PowerShellSession Session, WorkspaceSnapshot Before) Workspace(string settings)
        {
            var session = new PowerShellSession();
            File.WriteAllText(session.PathOf("bookbatch.json"), settings);
            File.WriteAllText(session.PathOf("database.json"), "{\"books\": []}");
            File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits | James Clear\n");
            return (session, WorkspaceSnapshot.Of(session.Folder));
        }

        private static ErrorRecord Refused(string settings, params string[] mentions)
        {
            var (session, before) = Workspace(settings);
            using (session)
            {
                var result = session.Run("Invoke-BookBatch -Path books.txt -Confirm:$false");
                var record = Refusal.Assert(result, "BookBatchSettingsInvalid", ErrorCategory.InvalidData, mentions);
                Assert.Empty(session.Run("Get-ChildItem -Recurse -Name runs, batches -ErrorAction Ignore").Output);
                Assert.Contains("bookbatch.json", Refusal.Message(record));
                before.AssertUnchanged();
                return record;
            }
        }

        [Fact]
        public void AStageConcurrencyOfZeroIsRefused() =>
            Refused("{\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"concurrency\": 0}]}", "stages[0].concurrency", "from 1 to 64");

        [Theory]
        [InlineData("{\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"retrys\": 2}]}", "stages[0].retrys", "did you mean \"retries\"")]
        [InlineData("{\"throtleLimit\": 2, \"stages\": [" + Stage + "]}", "\"throtleLimit\"", "did you mean \"throttleLimit\"")]
        [InlineData("{\"colour\": \"blue\", \"stages\": [" + Stage + "]}", "\"colour\"", "the keys here are")]
        [InlineData("{\"stages\": [{\"name\": \"upload\", \"command\": \"dotnet\", \"rate\": {\"starts\": 1, \"perSecond\": 60}}]}", "stages[0].rate.perSecond", "did you mean \"perSeconds\"")]
        [InlineData("{\"stages\": [{\"name\": \"upload\", \"command\": \"dotnet\", \"verify\": {\"comand\": \"dotnet\"}}]}", "stages[0].verify.comand", "did you mean \"command\"")]
        public void AnUnknownOrMisspeltKeyAtAnyLevelIsRefusedWithTheNearestKnownOne(string settings, string key, string advice) =>
            Refused(settings, key, "is not a setting", advice);

        [Fact]
        public void AScriptStageWhoseFileIsMissingSaysWhereToWriteIt() =>
            Refused("{\"stages\": [{\"name\": \"search\", \"script\": \"stages/missing.ps1\"}]}",
                "stages[0].script", "'stages/missing.ps1'", "there is no file", "write the script of stage 'search' there", "relative to the workspace");

        [Fact]
        public void AStageNamedTwiceNamesTheFirstAndSaysToRenameOne() =>
            Refused("{\"stages\": [" + Stage + ", {\"name\": \"Search\", \"command\": \"dotnet\"}]}",
                "stages[1].name", "'Search' is the name of stages[0] already", "give each stage its own name");

        [Fact]
        public void ATimeOutAboveTheLargestSaysTheLargest() =>
            Refused("{\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"timeoutSeconds\": 99999999}]}",
                "stages[0].timeoutSeconds", "99999999", "must be at most 604800 (a week), the largest allowed", "write 604800 (a week) or less");

        [Theory]
        [InlineData("{titel}", "did you mean {title}?")]
        [InlineData("--out={outptus}", "did you mean {outputs}?")]
        [InlineData("{zzzzzzzz}", "the placeholders are {title}")]
        public void AnUnknownPlaceholderSuggestsTheNearestKnownOne(string argument, string advice) =>
            Refused("{\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"arguments\": [\"" + argument + "\"]}]}",
                "stages[0].arguments[0]", "unknown placeholder", advice);

        [Fact]
        public void AnUnknownPlaceholderOfAVerifyCommandSuggestsTooByTheSameHelper() =>
            Refused("{\"stages\": [{\"name\": \"upload\", \"command\": \"dotnet\", \"verify\": {\"command\": \"dotnet\", \"arguments\": [\"{idempotencykey}\"]}}]}",
                "stages[0].verify.arguments[0]", "did you mean {idempotencyKey}?");

        [Fact]
        public void ABadStageNameIsQuoted() =>
            Refused("{\"stages\": [{\"name\": \"my stage!\", \"command\": \"dotnet\"}]}", "stages[0].name", "'my stage!'");

        [Fact]
        public void ACommandThatIsNotOnPathIsFoundBeforeAnyWork() =>
            Refused("{\"stages\": [" + Stage + ", {\"name\": \"render\", \"command\": \"no-such-renderer-4711\"}]}",
                "stages[1].command", "'no-such-renderer-4711'", "neither on PATH nor a file", "render");

        [Theory]
        [InlineData("../evil.ps1")]
        [InlineData("/etc/evil.ps1")]
        public void AScriptOutsideTheWorkspaceIsRefusedBeforeAnyWork(string script)
        {
            // The file exists, so only its place is wrong.
            var outside = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "bookbatch-tests", "evil.ps1"));
            Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
            File.WriteAllText(outside, "Set-Content -Path $BookBatch.Workspace/pwned.txt -Value pwned");
            var name = script.StartsWith("..") ? script : outside;
            var record = Refused("{\"stages\": [{\"name\": \"search\", \"script\": " + System.Text.Json.JsonSerializer.Serialize(name) + "}]}",
                "stages[0].script", "outside the workspace", "inside the workspace");
            Assert.Contains(name, Refusal.Message(record));
        }

        [Theory]
        [InlineData("{\"stages\": [" + Stage + "]", "line 1, column", "ends too early")]
        [InlineData("{\"stages\": [" + Stage + "] \"privacy\": \"public\"}", "line 1, column", "',' or a closing")]
        public void BrokenJsonIsDescribedInTheProjectsWordsWithOneLineAndColumn(string settings, string where, string what)
        {
            var record = Refused(settings, where, what);
            Assert.DoesNotContain("LineNumber", Refusal.Message(record));
            Assert.DoesNotContain("BytePositionInLine", Refusal.Message(record));
            Assert.DoesNotContain("payload", Refusal.Message(record));
        }

        [Fact]
        public void NestingDeeperThanTheParserAllowsIsSaidInTheProjectsWords()
        {
            var deep = new string('[', 70) + new string(']', 70);
            var record = Refused("{\"x\": " + deep + ", \"stages\": [" + Stage + "]}", "nested too deep");
            Assert.DoesNotContain("maximum configured depth", Refusal.Message(record));
        }

        [Fact]
        public void SettingsThatAreAFolderSayItIsAFolder()
        {
            using var session = new PowerShellSession();
            Directory.CreateDirectory(session.PathOf("bookbatch.json"));
            File.WriteAllText(session.PathOf("books.txt"), "Atomic Habits\n");
            var before = WorkspaceSnapshot.Of(session.Folder);

            var record = Refusal.Assert(session.Run("Invoke-BookBatch -Path books.txt -Confirm:$false"), "BookBatchSettingsInvalid",
                ErrorCategory.InvalidData, "is a folder, not a file");

            Assert.DoesNotContain("does not exist", Refusal.Message(record));
            before.AssertUnchanged();
        }

        [Fact]
        public void TheKnownKeysStillLoad()
        {
            var (session, _) = Workspace("{\"privacy\": \"private\", \"delaySeconds\": 0, \"bookTimeoutSeconds\": 60, \"throttleLimit\": 2, \"requireUrl\": false, " +
                "\"stages\": [{\"name\": \"search\", \"command\": \"dotnet\", \"arguments\": [\"--version\"], \"timeoutSeconds\": 30, \"retries\": 1, " +
                "\"retryDelaySeconds\": 1, \"retryMaxDelaySeconds\": 2, \"retryExitCodes\": [1], \"concurrency\": 1, \"rate\": {\"starts\": 5, \"perSeconds\": 60}, " +
                "\"deferExitCode\": 75, \"maxWaitSeconds\": 0, \"publishing\": false}]}");
            using (session) session.Run("Invoke-BookBatch -Path books.txt -Confirm:$false").Succeeded();
        }
    }
}
