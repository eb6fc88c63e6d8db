using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Tests.Hosting;

namespace BookBatch.Tests.Batches
{
    /// <summary>One run of the test stage, as it recorded itself.</summary>
    public sealed record StageRun(string Stage, string Title, string Author, int Attempt, string Privacy, string[] Arguments);

    /// <summary>
    /// A session whose workspace has a bookbatch.json of seven stages, each the test assembly's own stage program
    /// (see Program.cs): cross-platform, and it records every run.
    /// </summary>
    public sealed class BatchFixture : IDisposable
    {
        public static readonly string[] StageNames = { "search", "transcribe", "process", "tts", "render", "upload", "shorts" };

        public BatchFixture(double timeoutSeconds = 60, int retries = 0, double retryDelaySeconds = 0.05, string? extraSettings = null)
        {
            Session = new PowerShellSession();
            WriteSettings(timeoutSeconds, retries, retryDelaySeconds, extraSettings);
        }

        public PowerShellSession Session { get; }

        public string Workspace => Session.Folder;

        public void WriteSettings(double timeoutSeconds, int retries, double retryDelaySeconds, string? extraSettings = null)
        {
            var assembly = typeof(BatchFixture).Assembly.Location;
            var stages = StageNames.Select(name => new Dictionary<string, object>
            {
                ["name"] = name,
                ["command"] = "dotnet",
                ["arguments"] = new[] { assembly, "stage", "{title}", "{author}", "{stage}" },
                ["timeoutSeconds"] = timeoutSeconds,
                ["retries"] = retries,
                ["retryDelaySeconds"] = retryDelaySeconds,
            });
            var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["privacy"] = "unlisted", ["delaySeconds"] = 0, ["stages"] = stages },
                new JsonSerializerOptions { WriteIndented = true });
            if (extraSettings != null) json = json.TrimEnd().TrimEnd('}') + "," + extraSettings + "}";
            File.WriteAllText(Session.PathOf("bookbatch.json"), json);
        }

        /// <summary>Every stage run so far, in order.</summary>
        public List<StageRun> StageRuns()
        {
            var path = Session.PathOf("stage-runs.log");
            if (!File.Exists(path)) return new List<StageRun>();
            return File.ReadAllLines(path).Select(l => l.Split('\t'))
                .Select(p => new StageRun(p[0], p[1], p[2], int.Parse(p[3]), p[4], p.Skip(5).ToArray())).ToList();
        }

        public int Runs(string stage, string? title = null) => StageRuns().Count(r => r.Stage == stage && (title is null || r.Title == title));

        public void FailAt(string stage) => File.WriteAllText(Session.PathOf("fail-" + stage), "");
        public void StopFailing(string stage) => File.Delete(Session.PathOf("fail-" + stage));
        public void SleepAt(string stage, double seconds) => File.WriteAllText(Session.PathOf("sleep-" + stage), seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public string WriteBooks(params string[] lines)
        {
            var path = Session.PathOf("books.txt");
            File.WriteAllText(path, string.Join("\n", lines) + "\n");
            return path;
        }

        /// <summary>The summary.json of a run folder as (stage, state) pairs.</summary>
        public (string Stage, string? State)[] Summary(string runFolder)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Session.PathOf("runs", runFolder, "summary.json")));
            return doc.RootElement.EnumerateObject()
                .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString())).ToArray();
        }

        public void Dispose() => Session.Dispose();
    }
}
