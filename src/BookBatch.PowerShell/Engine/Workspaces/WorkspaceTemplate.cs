using System;
using System.Collections.Generic;
using System.IO;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Workspaces
{
    /// <summary>Writes a new workspace: the example pipeline of <c>examples/workspace</c>, an empty database, runs/ and batches/.</summary>
    public static class WorkspaceTemplate
    {
        private const string ResourcePrefix = "Template/";

        /// <summary>The template's files, by path relative to the workspace (with '/').</summary>
        public static IReadOnlyDictionary<string, byte[]> Files()
        {
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            var assembly = typeof(WorkspaceTemplate).Assembly;
            foreach (var name in assembly.GetManifestResourceNames())
            {
                var relative = name.Replace('\\', '/');
                if (!relative.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                files[relative.Substring(ResourcePrefix.Length)] = copy.ToArray();
            }
            return files;
        }

        /// <summary>
        /// Creates the workspace. Refuses (nothing written) when <c>bookbatch.json</c> exists, unless
        /// <paramref name="force"/>; never touches an existing database, runs/ or batches/.
        /// </summary>
        /// <param name="workspace">The workspace folder.</param>
        /// <param name="force">Writes the example files again over existing ones.</param>
        /// <param name="database">The workspace's book database, created empty when there is none.</param>
        /// <returns>The files written, as full paths.</returns>
        public static IReadOnlyList<string> Create(Workspace workspace, bool force, IBookDatabaseUpkeep database)
        {
            if (File.Exists(workspace.SettingsPath) && !force) throw new WorkspaceExistsException(workspace.SettingsPath);
            var written = new List<string>();
            Directory.CreateDirectory(workspace.Root);
            Directory.CreateDirectory(workspace.RunsPath);
            Directory.CreateDirectory(workspace.BatchesPath);
            foreach (var file in Files())
            {
                var path = Path.Combine(workspace.Root, file.Key.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, file.Value, backupPath: null);
                written.Add(path);
            }
            if (database.CreateEmpty()) written.Add(database.Location);
            return written;
        }
    }
}
