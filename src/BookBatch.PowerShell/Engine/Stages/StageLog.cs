using System;
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
        private StreamWriter? _writer;
        private bool _closed;

        private StageLog(string path, string header)
        {
            _path = path;
            _header = header;
        }

        /// <summary>The log of an attempt that starts now; nothing is written until the attempt has something to say.</summary>
        public static StageLog Open(StageInvocation invocation) =>
            new(invocation.LogPath, Stamp($"attempt {invocation.Attempt} of stage '{invocation.Stage.Name}' for '{invocation.Book}' started"));

        /// <summary>A line the stage wrote to its output stream.</summary>
        public void Output(string? line)
        {
            if (line is null) return;
            Write(line, always: true);
        }

        /// <summary>A line the stage wrote to its error stream (marked so that a reader can tell).</summary>
        public void Error(string? line)
        {
            if (line is null) return;
            Write("[error] " + line, always: true);
        }

        /// <summary>A line of BookBatch's own, time-stamped.</summary>
        public void Note(string text) => Write(Stamp(text), always: true);

        /// <summary>
        /// How a successful attempt ended: written when the log has anything (this attempt's lines, or an earlier
        /// attempt's, whose failure must not read as the stage's last word).
        /// </summary>
        public void Success(string text) => Write(Stamp(text), always: false);

        private static string Stamp(string text) =>
            $"=== {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} {text}";

        // Output events of a killed process can still arrive after the attempt is over: they are dropped, never thrown
        // on a pool thread (which would end the whole PowerShell process).
        private void Write(string line, bool always)
        {
            lock (_gate)
            {
                if (_closed) return;
                try
                {
                    if (_writer is null)
                    {
                        if (!always && !File.Exists(_path)) return;
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
