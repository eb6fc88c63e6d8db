using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.Stages
{
    /// <summary>
    /// What a command stage's process is given. The runner keeps its start descriptions for the next attempts (a new one
    /// copies the whole environment): each attempt must still get its own book's values, and every attempt the batch's
    /// environment.
    /// </summary>
    public class ProcessStageRunnerTests
    {
        private const string Variable = "BOOKBATCH_TEST_RUNNER_VARIABLE";

        [UnixFact]
        public async Task EachAttemptGetsItsOwnBooksValuesOverTheEnvironmentTheBatchBeganWith()
        {
            var root = Path.Combine(Path.GetTempPath(), "bookbatch-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            // Each attempt writes its title, attempt, argument and the variable, as its process sees them, to its outputs file.
            File.WriteAllText(Path.Combine(root, "bookbatch.json"), "{\"requireUrl\": false, \"stages\": [{\"name\": \"say\", \"command\": \"sh\", " +
                "\"arguments\": [\"-c\", \"printf '%s|%s|%s|%s' \\\"$BOOKBATCH_TITLE\\\" \\\"$BOOKBATCH_ATTEMPT\\\" \\\"$1\\\" \\\"$" + Variable + "\\\" > \\\"$BOOKBATCH_OUTPUTS\\\"\", \"say\", \"{title}\"]}]}");
            var stage = PipelineSettings.Load(Path.Combine(root, "bookbatch.json"), root).Stages[0];
            try
            {
                Environment.SetEnvironmentVariable(Variable, "when the batch began");
                var runner = new ProcessStageRunner();
                Environment.SetEnvironmentVariable(Variable, "changed by a script stage meanwhile");

                // Three rounds of eight books at once: descriptions are kept after the first round and handed on.
                for (var round = 1; round <= 3; round++)
                {
                    var books = Enumerable.Range(1, 8).Select(i => $"Book {round}-{i}").ToList();
                    var outcomes = await Task.WhenAll(books.Select(title =>
                    {
                        var folder = Path.Combine(root, title.Replace(' ', '-'));
                        Directory.CreateDirectory(folder);
                        var invocation = new StageInvocation(stage, new Book(title, null), root, folder, "unlisted", round,
                            Path.Combine(folder, "say.log"), Path.Combine(folder, "say.json"));
                        return runner.RunAsync(invocation, CancellationToken.None);
                    }));

                    Assert.All(outcomes, o => Assert.Equal(StageResult.Succeeded, o.Result));
                    foreach (var title in books)
                        Assert.Equal($"{title}|{round}|{title}|when the batch began", File.ReadAllText(Path.Combine(root, title.Replace(' ', '-'), "say.json")));
                }
            }
            finally
            {
                Environment.SetEnvironmentVariable(Variable, null);
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
