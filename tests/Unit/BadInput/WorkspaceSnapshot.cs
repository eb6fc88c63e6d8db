using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using BookBatch.Tests.Hosting;
using Xunit;

namespace BookBatch.Tests.BadInput
{
    /// <summary>
    /// Every file of a workspace, byte for byte (and every folder), taken before a refusal, to prove afterwards that
    /// nothing on disk changed: no file written, touched, added or removed.
    /// </summary>
    public sealed class WorkspaceSnapshot
    {
        private readonly string _root;
        private readonly Dictionary<string, byte[]> _files;
        private readonly HashSet<string> _folders;

        private WorkspaceSnapshot(string root)
        {
            _root = root;
            _files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);
            _folders = Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f)).ToHashSet();
        }

        public static WorkspaceSnapshot Of(string root) => new(root);

        /// <summary>A file's bytes when the snapshot was taken (its path relative to the workspace).</summary>
        public byte[] Bytes(string relativePath) => _files[relativePath];

        /// <summary>Fails, naming the files, when any file or folder was added, removed or changed since the snapshot.</summary>
        public void AssertUnchanged()
        {
            var now = new WorkspaceSnapshot(_root);
            var added = now._files.Keys.Except(_files.Keys).Concat(now._folders.Except(_folders)).ToList();
            var removed = _files.Keys.Except(now._files.Keys).Concat(_folders.Except(now._folders)).ToList();
            var changed = _files.Keys.Intersect(now._files.Keys).Where(k => !_files[k].AsSpan().SequenceEqual(now._files[k])).ToList();
            Assert.True(added.Count + removed.Count + changed.Count == 0,
                $"the workspace changed: added [{string.Join(", ", added)}], removed [{string.Join(", ", removed)}], changed [{string.Join(", ", changed)}]");
        }
    }

    /// <summary>What every bad-input answer must have: its ErrorId, a real category, and a message that names what is wrong.</summary>
    internal static class Refusal
    {
        /// <summary>The one record with this ErrorId (terminating or not), checked for its category and the words its message must hold.</summary>
        public static ErrorRecord Assert(PipelineResult result, string errorId, ErrorCategory category, params string[] mentions)
        {
            var all = result.Errors.Concat(result.Terminating is null ? Array.Empty<ErrorRecord>() : new[] { result.Terminating }).ToList();
            var record = all.SingleOrDefault(e => e.FullyQualifiedErrorId.Split(',')[0] == errorId);
            Xunit.Assert.True(record != null, $"no {errorId} error; got: {string.Join(" | ", all.Select(e => e.FullyQualifiedErrorId + ": " + Message(e)))}");
            Xunit.Assert.Equal(category, record!.CategoryInfo.Category);
            foreach (var mention in mentions) Xunit.Assert.Contains(mention, Message(record));
            return record;
        }

        public static string Message(ErrorRecord record) => record.ErrorDetails?.Message ?? record.Exception.Message;
    }
}
