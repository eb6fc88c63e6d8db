using System;
using System.IO;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Tests.Engine
{
    /// <summary>A fresh workspace folder for an engine test, deleted afterwards.</summary>
    public sealed class TempWorkspace : IDisposable
    {
        public TempWorkspace()
        {
            var root = Path.Combine(Path.GetTempPath(), "bookbatch-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(root);
            Workspace = new Workspace(root);
        }

        public Workspace Workspace { get; }

        public string Write(string relative, string content)
        {
            var path = Path.Combine(Workspace.Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose()
        {
            try { Directory.Delete(Workspace.Root, recursive: true); } catch (IOException) { }
        }
    }
}
