using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// A stage's outputs file in a run folder (<c>outputs/&lt;stage&gt;.json</c>, a JSON object the stage writes) and
    /// what its URLs say: a URL is recorded only when it is an http(s) URL.
    /// </summary>
    public static class StageOutputs
    {
        /// <summary>The published video's URL a stage's outputs name (<c>youtube_url</c>), or null; only an http(s) URL counts.</summary>
        public static string? PublishedUrl(Dictionary<string, string?>? outputs) =>
            outputs != null && outputs.TryGetValue(LedgerKeys.YouTubeUrl, out var url) && LedgerKeys.IsWebUrl(url) ? url : null;

        /// <summary>
        /// What is wrong with the URLs a stage reported (<c>youtube_url</c>, <c>short_url</c>): the first one that is
        /// not an http(s) URL, quoted (cut short); null when they are all right or absent.
        /// </summary>
        public static string? UrlProblem(Dictionary<string, string?>? outputs)
        {
            if (outputs is null) return null;
            foreach (var key in new[] { LedgerKeys.YouTubeUrl, LedgerKeys.ShortUrl })
                if (outputs.TryGetValue(key, out var url) && !string.IsNullOrEmpty(url) && !LedgerKeys.IsWebUrl(url))
                    return $"it reported {key} '{Excerpt.Of(url!, 80)}', which is not an http or https URL, so it was not recorded";
            return null;
        }

        /// <summary>What a stage reported in the outputs file of a run folder; null when it wrote none (or nothing readable).</summary>
        public static Dictionary<string, string?>? Read(string folder, string stage)
        {
            var bytes = AtomicFile.ReadBytes(Path.Combine(folder, "outputs", stage + ".json"));
            if (bytes is null) return null;
            try
            {
                using var doc = JsonDocument.Parse(TextBytes.Json(bytes));
                if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
                var outputs = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in doc.RootElement.EnumerateObject())
                    outputs[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                return outputs;
            }
            catch (JsonException) { return null; }
        }
    }
}
