using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Runs
{
    /// <summary>The state of one stage in <c>summary.json</c>, as the seed writes it.</summary>
    public static class StageStateText
    {
        /// <summary>The stage finished.</summary>
        public const string Success = "success";
        /// <summary>The stage failed.</summary>
        public const string Failed = "failed";
    }

    /// <summary>
    /// A run folder's <c>summary.json</c>: the seed's map of stage name to "success", "failed" or null, in pipeline
    /// order. Keys and values BookBatch does not know are kept.
    /// </summary>
    public sealed class RunSummary
    {
        /// <summary>The file's name in a run folder.</summary>
        public const string FileName = "summary.json";

        private readonly List<KeyValuePair<string, JsonElement>> _stages;

        private RunSummary(string path, List<KeyValuePair<string, JsonElement>> stages)
        {
            Path = path;
            _stages = stages;
        }

        /// <summary>The summary file.</summary>
        public string Path { get; }

        /// <summary>The stage names, in the file's order.</summary>
        public IEnumerable<string> Stages
        {
            get { foreach (var pair in _stages) yield return pair.Key; }
        }

        /// <summary>A stage's state text ("success", "failed", or null for not run); null also for a stage the file lacks.</summary>
        public string? StateOf(string stage)
        {
            var i = IndexOf(stage);
            return i < 0 || _stages[i].Value.ValueKind != JsonValueKind.String ? null : _stages[i].Value.GetString();
        }

        /// <summary>True when the file records the stage.</summary>
        public bool Has(string stage) => IndexOf(stage) >= 0;

        /// <summary>Sets a stage's state (null for not run); a stage the file lacks is added at the end.</summary>
        public void Set(string stage, string? state)
        {
            var value = state is null ? Null : JsonDocument.Parse(JsonSerializer.Serialize(state)).RootElement.Clone();
            var i = IndexOf(stage);
            if (i < 0) _stages.Add(new KeyValuePair<string, JsonElement>(stage, value));
            else _stages[i] = new KeyValuePair<string, JsonElement>(stage, value);
        }

        /// <summary>
        /// Puts the pipeline's stages first, in pipeline order, keeping their states; stages the pipeline no longer
        /// has stay after them. A stage the file lacks is added as not run.
        /// </summary>
        public void EnsureStages(IEnumerable<string> pipeline)
        {
            var ordered = new List<KeyValuePair<string, JsonElement>>();
            foreach (var stage in pipeline)
            {
                var i = IndexOf(stage);
                ordered.Add(i >= 0 ? _stages[i] : new KeyValuePair<string, JsonElement>(stage, Null));
            }
            foreach (var pair in _stages)
                if (!ordered.Exists(o => string.Equals(o.Key, pair.Key, StringComparison.OrdinalIgnoreCase))) ordered.Add(pair);
            _stages.Clear();
            _stages.AddRange(ordered);
        }

        private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

        /// <summary>Marks a stage and every stage after it as not run, so that the run resumes there; returns the stages reset.</summary>
        public IReadOnlyList<string> ResetFrom(string stage)
        {
            var from = IndexOf(stage);
            if (from < 0) throw new StageNotFoundException(stage, Path, Stages);
            var reset = new List<string>();
            for (var i = from; i < _stages.Count; i++)
            {
                reset.Add(_stages[i].Key);
                Set(_stages[i].Key, null);
            }
            return reset;
        }

        /// <summary>Reads a run folder's summary; a missing file is an empty summary.</summary>
        public static RunSummary Read(string runFolder)
        {
            var path = System.IO.Path.Combine(runFolder, FileName);
            if (Directory.Exists(path)) throw new RunFolderIOException(path, "it is a folder, not a file");
            var bytes = AtomicFile.ReadBytes(path);
            var stages = new List<KeyValuePair<string, JsonElement>>();
            if (bytes is null) return new RunSummary(path, stages);
            try
            {
                using var doc = JsonDocument.Parse(TextBytes.Json(bytes));
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new RunSummaryCorruptException(path, "it is not a JSON object of stage names");
                foreach (var property in doc.RootElement.EnumerateObject())
                    stages.Add(new KeyValuePair<string, JsonElement>(property.Name, property.Value.Clone()));
            }
            catch (JsonException e)
            {
                throw new RunSummaryCorruptException(path, JsonFaults.Describe(e));
            }
            return new RunSummary(path, stages);
        }

        /// <summary>Writes the summary atomically.</summary>
        public void Write() => AtomicFile.Write(Path, ToBytes(), backupPath: null, durable: false);

        /// <summary>The file's content as it stands now.</summary>
        public byte[] ToBytes()
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                foreach (var pair in _stages)
                {
                    writer.WritePropertyName(pair.Key);
                    pair.Value.WriteTo(writer);
                }
                writer.WriteEndObject();
            }
            return stream.ToArray();
        }

        private int IndexOf(string stage) => _stages.FindIndex(p => string.Equals(p.Key, stage, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A run folder's <c>summary.json</c> cannot be read; it is left as it is.</summary>
    public sealed class RunSummaryCorruptException : Exception
    {
        /// <summary>Creates the error for a file and what is wrong.</summary>
        public RunSummaryCorruptException(string path, string reason)
            : base($"The run summary '{path}' cannot be read ({reason}). Nothing was changed, and no stage of the book runs until it can be read. " +
                   "Fix the file (a JSON object of stage names, each \"success\", \"failed\" or null), or move its run folder aside to start the book in a new one.") => Path = path;

        /// <summary>The damaged file.</summary>
        public string Path { get; }
    }
}

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A book's run folder (or its <c>summary.json</c>) cannot be read or written for a reason of the file system: a
    /// folder where the file should be, no permission, a full disk. An error of that book alone.
    /// </summary>
    public sealed class RunFolderIOException : Exception
    {
        /// <summary>Creates the error for the file or folder and what the file system said.</summary>
        public RunFolderIOException(string path, string problem, Exception? inner = null)
            : base($"The run folder file '{path}' cannot be used: {problem}. No stage that succeeded is run again because of it; " +
                   "make the run folder readable and writable (or move it aside to start the book in a new one), then run the batch again.", inner)
        {
            Path = path;
            PermissionDenied = inner is UnauthorizedAccessException;
        }

        /// <summary>The file or folder at fault.</summary>
        public string Path { get; }

        /// <summary>True when the file system refused for lack of permission (or a read-only file or folder).</summary>
        public bool PermissionDenied { get; }

        /// <summary>The error for an I/O exception met in a run folder.</summary>
        public static RunFolderIOException From(string folder, Exception e) =>
            new(folder, e is UnauthorizedAccessException
                ? "permission denied (the folder or a file in it is read-only, or you may not write there)"
                : e.Message.TrimEnd('.'), e);
    }

    /// <summary>A stage name that a run's <c>summary.json</c> does not have.</summary>
    public sealed class StageNotFoundException : Exception
    {
        /// <summary>Creates the error for the stage, the summary and the stages it has.</summary>
        public StageNotFoundException(string stage, string summaryPath, IEnumerable<string> stages)
            : base(stages.Any()
                ? $"The run '{summaryPath}' has no stage '{stage}'. Its stages are: {string.Join(", ", stages)}."
                : $"The run '{summaryPath}' records no stages (the file is missing or empty), so there is no stage '{stage}' to reset. Reset the book without -FromStage.")
            => Stage = stage;

        /// <summary>The stage asked for.</summary>
        public string Stage { get; }
    }

    /// <summary>A book's run folder is not there.</summary>
    public sealed class RunFolderNotFoundException : Exception
    {
        /// <summary>Creates the error for a book line and its run folder name.</summary>
        public RunFolderNotFoundException(string book, string? runFolder)
            : base(runFolder is null
                ? $"'{book}' has no run folder yet, so there is no stage to reset. Reset it without -FromStage."
                : $"The run folder '{runFolder}' of '{book}' is not in runs/. Reset it without -FromStage; the next batch starts a new folder.")
            => RunFolder = runFolder;

        /// <summary>The run folder name recorded in the ledger.</summary>
        public string? RunFolder { get; }
    }
}
