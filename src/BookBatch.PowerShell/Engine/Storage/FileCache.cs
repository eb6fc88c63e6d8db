using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace BookBatch.Engine.Storage
{
    /// <summary>
    /// What was read from files, kept while a file's length and last write time stay the same, so an unchanged file is
    /// not read again. Entries not asked for since the last <see cref="Sweep"/> are dropped: only what the last snapshot
    /// needed is kept.
    /// </summary>
    internal sealed class FileCache<T>
    {
        private readonly Dictionary<string, (long Length, DateTime Written, T Value, bool Used)> _entries = new(StringComparer.Ordinal);

        /// <summary>The value read from the file, read again only when it changed; <paramref name="missing"/> when it does not exist.</summary>
        public T Get(string path, Func<string, T> read, T missing)
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                _entries.Remove(path);
                return missing;
            }
            if (_entries.TryGetValue(path, out var entry) && entry.Length == file.Length && entry.Written == file.LastWriteTimeUtc)
            {
                _entries[path] = (entry.Length, entry.Written, entry.Value, true);
                return entry.Value;
            }
            var value = read(path);
            _entries[path] = (file.Length, file.LastWriteTimeUtc, value, true);
            return value;
        }

        /// <summary>Drops the entries not asked for since the last sweep.</summary>
        public void Sweep()
        {
            var unused = new List<string>();
            foreach (var pair in _entries) if (!pair.Value.Used) unused.Add(pair.Key);
            foreach (var path in unused) _entries.Remove(path);
            foreach (var path in new List<string>(_entries.Keys))
            {
                var e = _entries[path];
                _entries[path] = (e.Length, e.Written, e.Value, false);
            }
        }

        /// <summary>How many files are kept.</summary>
        public int Count => _entries.Count;
    }
}
