using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>The journals of a workspace's batches (<c>batches/&lt;id&gt;.jsonl</c>): listed newest first, found by id.</summary>
    public static class BatchJournals
    {
        /// <summary>A journal file's extension.</summary>
        public const string Extension = ".jsonl";

        // Ids start with the batch's start time, yyyyMMdd-HHmmss (BatchPlan.NewId), so their names sort by time.
        private static readonly Regex TimedId = new(@"^\d{8}-\d{6}", RegexOptions.CultureInvariant);

        /// <summary>
        /// The ids of the workspace's batches, newest first. Only journals named as batches name them (a start time
        /// first) are listed, since only those can be put in time order; <see cref="Find"/> finds any journal.
        /// </summary>
        public static IReadOnlyList<string> Ids(Workspace workspace)
        {
            if (!Directory.Exists(workspace.BatchesPath)) return Array.Empty<string>();
            return new DirectoryInfo(workspace.BatchesPath).EnumerateFiles("*" + Extension)
                .Where(f => string.Equals(f.Extension, Extension, StringComparison.OrdinalIgnoreCase))
                .Select(f => (File: f, Id: Path.GetFileNameWithoutExtension(f.Name)))
                .Where(j => TimedId.IsMatch(j.Id))
                // Two batches started in the same second differ only by their random suffix: the later write is the newer.
                .OrderByDescending(j => j.Id.Substring(0, 15), StringComparer.Ordinal)
                .ThenByDescending(j => j.File.LastWriteTimeUtc)
                .ThenByDescending(j => j.Id, StringComparer.Ordinal)
                .Select(j => j.Id)
                .ToList();
        }

        /// <summary>
        /// The journal of a batch id (a trailing <c>.jsonl</c> is accepted, as a file listing shows it); null when
        /// there is none. An id that is not a plain file name is never joined to a path.
        /// </summary>
        public static string? Find(Workspace workspace, string id)
        {
            var name = IdOf(id);
            if (name is null || !Directory.Exists(workspace.BatchesPath)) return null;
            var path = BatchJournal.PathOf(workspace, name);
            if (File.Exists(path)) return path;
            // Ids are typed by hand: on a case-sensitive file system, still find "…-AB12" for "…-ab12".
            return Directory.EnumerateFiles(workspace.BatchesPath, "*" + Extension)
                .FirstOrDefault(f => string.Equals(Path.GetFileNameWithoutExtension(f), name, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>The batch id a text names: trimmed, without a trailing <c>.jsonl</c>; null when it is not a plain file name.</summary>
        public static string? IdOf(string? text)
        {
            var id = text?.Trim();
            if (id != null && id.EndsWith(Extension, StringComparison.OrdinalIgnoreCase)) id = id.Substring(0, id.Length - Extension.Length);
            return RunFolderName.IsPlainName(id) ? id : null;
        }
    }
}

namespace BookBatch.Engine.Batches
{
}
