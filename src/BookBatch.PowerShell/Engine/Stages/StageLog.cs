using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace BookBatch.Engine.Stages
{
    /// <summary>A stage's log file in the run folder: every attempt appends its output and error lines under a header.</summary>
    public sealed class StageLog : IDisposable
    {
        private readonly StreamWriter _writer;
        private bool _closed;

        private StageLog(StreamWriter writer) => _writer = writer;

        /// <summary>Opens the log for an attempt and writes the attempt's header.</summary>
        public static StageLog Open(StageInvocation invocation)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(invocation.LogPath)!);
            var stream = new FileStream(invocation.LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var log = new StageLog(new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true });
            log.Note($"attempt {invocation.Attempt} of stage '{invocation.Stage.Name}' for '{invocation.Book}' started");
            return log;
        }

        /// <summary>A line the stage wrote to its output stream.</summary>
        public void Output(string? line)
        {
            if (line is null) return;
            Write(line);
        }

        /// <summary>A line the stage wrote to its error stream (marked so that a reader can tell).</summary>
        public void Error(string? line)
        {
            if (line is null) return;
            Write("[error] " + line);
        }

        /// <summary>A line of BookBatch's own, time-stamped.</summary>
        public void Note(string text)
        {
            Write($"=== {DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} {text}");
        }

        // Output events of a killed process can still arrive after the attempt is over: they are dropped, never thrown
        // on a pool thread (which would end the whole PowerShell process).
        private void Write(string line)
        {
            lock (_writer)
            {
                if (_closed) return;
                try { _writer.WriteLine(line); }
                catch (IOException) { }
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            lock (_writer)
            {
                _closed = true;
                _writer.Dispose();
            }
        }
    }
}
