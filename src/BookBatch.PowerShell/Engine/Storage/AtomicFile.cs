using System;
using System.IO;

namespace BookBatch.Engine.Storage
{
    /// <summary>
    /// Whole files written and read so that a reader sees the old content or the new one, never a mix: a temporary file
    /// beside the target, flushed, then put in its place (keeping the previous content as a backup when asked). The
    /// ledger, the run folders' files, the holder files and the rate windows are all written this way.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Writes a file so that a reader sees the old content or the new one, never a mix.</summary>
        /// <param name="path">The file to write.</param>
        /// <param name="content">Its new content.</param>
        /// <param name="backupPath">Where the previous content goes, or null to drop it.</param>
        /// <param name="durable">
        /// Flush the new content to the disk before it replaces the old (the ledger). Files that are rewritten at
        /// every stage change (summary.json) skip it: the replace is still atomic, and losing
        /// the last update to a power cut only runs a stage again.
        /// </param>
        public static void Write(string path, byte[] content, string? backupPath, bool durable = true)
        {
            var directory = Path.GetDirectoryName(path)!;
            var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096,
                           durable ? FileOptions.WriteThrough : FileOptions.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: durable);
                }
                if (File.Exists(path)) File.Replace(temp, path, backupPath, ignoreMetadataErrors: true);
                else File.Move(temp, path);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        /// <summary>Reads a whole file while letting writers replace it; null when it does not exist.</summary>
        public static byte[]? ReadBytes(string path)
        {
            if (!File.Exists(path)) return null; // the common "not there" case without an exception
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var length = (int)stream.Length;
                var bytes = new byte[length];
                var read = 0;
                while (read < length)
                {
                    var n = stream.Read(bytes, read, length - read);
                    if (n == 0) break;
                    read += n;
                }
                if (read == length) return bytes;
                Array.Resize(ref bytes, read);
                return bytes;
            }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
        }
    }
}
