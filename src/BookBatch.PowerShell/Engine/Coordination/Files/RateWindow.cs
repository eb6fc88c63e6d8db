using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// A stage's <c>rate</c> and "not now" for the whole workspace, across processes and days:
    /// <c>batches/limits/&lt;stage&gt;.starts</c> keeps one line per start (<c>s &lt;unix ms&gt;</c>) within the window and
    /// the time a "not now" holds the stage back (<c>b &lt;unix ms&gt;</c>). Every batch reads and changes it under the
    /// OS lock <c>&lt;stage&gt;.starts.lock</c>, so counting a start and checking the window are one step.
    /// </summary>
    internal sealed class RateWindow : IRateWindow
    {
        private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);
        private readonly string _path;
        private readonly string _lockPath;
        private readonly StageSettings _stage;

        /// <summary>The window of a stage in a workspace.</summary>
        public RateWindow(Workspace workspace, StageSettings stage)
        {
            _stage = stage;
            _path = workspace.StageStartsPath(stage.Name);
            _lockPath = _path + ".lock";
        }

        /// <summary>
        /// Counts a start now if the window and any "not now" allow it; otherwise returns false with the time the
        /// next start may be tried.
        /// </summary>
        public bool TryStart(DateTimeOffset now, CancellationToken cancellation, out DateTimeOffset nextOpening)
        {
            nextOpening = now;
            // A stage without a rate is held back only by a "not now", which leaves the file behind: most never have one.
            if (_stage.Rate is null && !File.Exists(_path)) return true;
            using var held = Lock(cancellation);
            var (starts, blockedUntil) = Read(now);
            nextOpening = Opening(starts, blockedUntil, now);
            if (nextOpening > now) return false;
            if (_stage.Rate is null) return true;
            starts.Add(now);
            Write(starts, blockedUntil);
            return true;
        }

        /// <summary>When a start may next be tried (now, when it may be now).</summary>
        public DateTimeOffset NextOpening(DateTimeOffset now)
        {
            if (!File.Exists(_path)) return now;
            using var held = Lock(CancellationToken.None);
            var (starts, blockedUntil) = Read(now);
            return Opening(starts, blockedUntil, now);
        }

        /// <summary>
        /// The starts counted in the window now and when a start may next be tried, read without the lock (the file is
        /// replaced whole, atomically): for a reader that must never delay a batch.
        /// </summary>
        public (int Starts, DateTimeOffset NextOpening) Peek(DateTimeOffset now)
        {
            var (starts, blockedUntil) = Read(now);
            return (starts.Count, Opening(starts, blockedUntil, now));
        }

        /// <summary>The stage said "not now": no batch of the workspace starts it before <paramref name="until"/>.</summary>
        public void Block(DateTimeOffset until, DateTimeOffset now)
        {
            using var held = Lock(CancellationToken.None);
            var (starts, blockedUntil) = Read(now);
            Write(starts, until > blockedUntil ? until : blockedUntil);
        }

        private DateTimeOffset Opening(List<DateTimeOffset> starts, DateTimeOffset blockedUntil, DateTimeOffset now)
        {
            var opening = blockedUntil > now ? blockedUntil : now;
            var rate = _stage.Rate;
            if (rate != null && starts.Count >= rate.Starts)
            {
                // The window reopens when the start that fills it (counted from the newest back) leaves it.
                var windowOpens = starts[starts.Count - rate.Starts] + rate.Window;
                if (windowOpens > opening) opening = windowOpens;
            }
            return opening;
        }

        private WorkspaceLock Lock(CancellationToken cancellation)
        {
            try { return WorkspaceLock.Acquire(_lockPath, LockWait, cancellation); }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_lockPath)!);
                return WorkspaceLock.Acquire(_lockPath, LockWait, cancellation);
            }
        }

        // The starts still in the window, oldest first, and the "not now".
        private (List<DateTimeOffset> Starts, DateTimeOffset BlockedUntil) Read(DateTimeOffset now)
        {
            var (starts, blockedUntil) = ReadFile(_path);
            var windowStart = _stage.Rate is null ? DateTimeOffset.MaxValue : now - _stage.Rate.Window;
            starts.RemoveAll(s => s <= windowStart);
            return (starts, blockedUntil);
        }

        /// <summary>
        /// Every start a stage's <c>.starts</c> file at <paramref name="path"/> keeps, oldest first, and its "not now"
        /// (<see cref="DateTimeOffset.MinValue"/> without one); nothing for a missing file. A line that is not one of ours is skipped.
        /// </summary>
        public static (List<DateTimeOffset> Starts, DateTimeOffset BlockedUntil) ReadFile(string path)
        {
            var starts = new List<DateTimeOffset>();
            var blockedUntil = DateTimeOffset.MinValue;
            var bytes = AtomicFile.ReadBytes(path);
            if (bytes is null) return (starts, blockedUntil);
            foreach (var line in Encoding.ASCII.GetString(bytes).Split('\n'))
            {
                if (line.Length < 3 || line[1] != ' ' || !long.TryParse(line.Substring(2), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) continue;
                var at = DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(ms, 253402300799999));
                if (line[0] == 's') starts.Add(at);
                else if (line[0] == 'b' && at > blockedUntil) blockedUntil = at;
            }
            starts.Sort();
            return (starts, blockedUntil);
        }

        // Small (a window's starts at most), so it is written whole: a new file, replaced atomically.
        private void Write(List<DateTimeOffset> starts, DateTimeOffset blockedUntil)
        {
            var text = new StringBuilder();
            if (blockedUntil > DateTimeOffset.MinValue) text.Append("b ").Append(blockedUntil.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var start in starts) text.Append("s ").Append(start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
            AtomicFile.Write(_path, Encoding.ASCII.GetBytes(text.ToString()), backupPath: null, durable: true);
        }
    }
}
