using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.IO;
using System.Text;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// A stage's log file in the run folder: every attempt appends its output and error lines under a header. The file
    /// is made at the attempt's first line, so a stage that succeeds without a word leaves no empty log behind (a
    /// new file costs more than starting a short stage's process).
    /// </summary>
    public sealed class StageLog : IDisposable
    {
        private readonly object _gate = new();
        private readonly string _path;
        private readonly string _header;
        // Whether the file was there when the attempt started (an earlier attempt's lines): looked up while the stage
        // runs, not after it, when the next stage waits.
        private readonly bool _existed;
        private StreamWriter? _writer;
        private bool _closed;

        private StageLog(string path, string header)
        {
            _path = path;
            _header = header;
            _existed = File.Exists(path);
        }

        /// <summary>The log of an attempt that starts now; nothing is written until the attempt has something to say.</summary>
        public static StageLog Open(StageInvocation invocation) =>
            new(invocation.LogPath, Stamp($"attempt {invocation.Attempt} of stage '{invocation.Stage.Name}' for '{invocation.Book}' started"));

        private string? _lastError;
        private string? _lastOutput;

        /// <summary>A line the stage wrote to its output stream.</summary>
        public void Output(string? line)
        {
            if (line is null) return;
            Remember(ref _lastOutput, line);
            Write(line);
        }

        /// <summary>A line the stage wrote to its error stream (marked so that a reader can tell).</summary>
        public void Error(string? line)
        {
            if (line is null) return;
            Remember(ref _lastError, line);
            Write("[error] " + line);
        }

        /// <summary>
        /// A failed attempt's reason: "exit code 1: ffmpeg: codec not found", with the last meaningful line of the
        /// stage's error stream (of its output, when it wrote no error), cut to a length a table shows.
        /// </summary>
        public string FailureReason(string what)
        {
            string? last;
            lock (_gate) last = _lastError ?? _lastOutput;
            return last is null ? what : what + ": " + Books.Excerpt.Of(last, 200);
        }

        // A line with a letter or digit in it: blank lines and rules of dashes say nothing about a failure.
        private void Remember(ref string? slot, string line)
        {
            var trimmed = line.Trim();
            foreach (var c in trimmed)
                if (char.IsLetterOrDigit(c))
                {
                    lock (_gate) slot = trimmed;
                    return;
                }
        }

        /// <summary>A line of BookBatch's own, time-stamped.</summary>
        public void Note(string text) => Write(Stamp(text));

        /// <summary>
        /// How a successful attempt ended: written when the log has anything (this attempt's lines, or an earlier
        /// attempt's, whose failure must not read as the stage's last word).
        /// </summary>
        public void Success(string text)
        {
            lock (_gate)
                if (_writer is null && !_existed) return;
            Write(Stamp(text));
        }

        /// <summary>
        /// The last <paramref name="lines"/> lines of a log file (of its last 256 KB, so a huge log costs no more than
        /// that), as they are on disk; empty when the file is gone.
        /// </summary>
        public static IReadOnlyList<string> Tail(string path, int lines)
        {
            var all = EndLines(path, 256 * 1024);
            return all.Skip(Math.Max(0, all.Count - lines)).ToArray();
        }

        /// <summary>
        /// The whole lines of a log file's last <paramref name="mostBytes"/> bytes (the line the cut falls in is left
        /// out), without the empty lines at its end; empty when the file is gone. Read without waiting for its writer.
        /// </summary>
        public static List<string> EndLines(string path, int mostBytes)
        {
            string text;
            bool cut;
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                var skip = Math.Max(0, stream.Length - mostBytes);
                cut = skip > 0;
                stream.Seek(skip, SeekOrigin.Begin);
                var bytes = new byte[stream.Length - skip];
                var read = 0;
                while (read < bytes.Length)
                {
                    var n = stream.Read(bytes, read, bytes.Length - read);
                    if (n == 0) break;
                    read += n;
                }
                text = Encoding.UTF8.GetString(bytes, 0, read);
            }
            catch (FileNotFoundException) { return new List<string>(); }
            catch (DirectoryNotFoundException) { return new List<string>(); }
            var all = new List<string>(text.Replace("\r\n", "\n").Split('\n'));
            if (cut) all.RemoveAt(0);
            while (all.Count > 0 && all[all.Count - 1].Length == 0) all.RemoveAt(all.Count - 1);
            return all;
        }

        private static string Stamp(string text) =>
            $"=== {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} {text}";

        // Output events of a killed process can still arrive after the attempt is over: they are dropped, never thrown
        // on a pool thread (which would end the whole PowerShell process).
        private void Write(string line)
        {
            lock (_gate)
            {
                if (_closed) return;
                try
                {
                    if (_writer is null)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                        var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                        _writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
                        _writer.WriteLine(_header);
                    }
                    _writer.WriteLine(line);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_gate)
            {
                _closed = true;
                _writer?.Dispose();
            }
        }
    }
}
