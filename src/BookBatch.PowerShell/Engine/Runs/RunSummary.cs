using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A run folder's <c>summary.json</c>: the old system's map of stage name to "success", "failed" or null, in pipeline
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
}
