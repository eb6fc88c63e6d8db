using System;
using System.Globalization;
using System.IO;
using System.Text;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination.Files
{
    /// <summary>
    /// One place of a stage's <c>concurrency</c>, held by one attempt: an OS lock on
    /// <c>batches/limits/&lt;stage&gt;.slot&lt;n&gt;.lock</c>, so every batch of the workspace, in any process, counts the
    /// same places, and a batch that dies frees its places at once. The file names the attempt's process while it
    /// runs: a killed host's stage may run on, and its place is not free until that process is gone.
    /// </summary>
    internal sealed class StageSlot : IStageSlot
    {
        private const string TokenPrefix = "token ";
        private readonly WorkspaceLock _lock;
        private bool _released;

        private StageSlot(WorkspaceLock held) => _lock = held;

        /// <summary>Takes a free place of the stage; null when every place is held (by any batch, or by a leftover process).</summary>
        public static StageSlot? TryTake(Workspace workspace, StageSettings stage)
        {
            var folder = workspace.LimitsPath;
            for (var n = 0; n < stage.Concurrency; n++)
            {
                var path = workspace.StageSlotPath(stage.Name, n);
                WorkspaceLock? held;
                try { held = WorkspaceLock.TryAcquire(path); }
                catch (DirectoryNotFoundException)
                {
                    Directory.CreateDirectory(folder);
                    held = WorkspaceLock.TryAcquire(path);
                }
                if (held is null) continue;
                if (LeftBy(held) is ProcessIdentity leftover && leftover.IsAlive())
                {
                    held.Dispose();
                    continue;
                }
                return new StageSlot(held);
            }
            return null;
        }

        /// <summary>Names the attempt's token in the slot's file just before its process starts.</summary>
        public void Expect(StageAttemptMark attempt) => Write(TokenPrefix + attempt.Token);

        /// <summary>Names the attempt's process in the slot's file, for as long as the slot is held.</summary>
        public void Record(ProcessIdentity process) =>
            Write(process.Pid.ToString(CultureInfo.InvariantCulture) + " " + process.Started.UtcTicks.ToString(CultureInfo.InvariantCulture)
                + (process.BootTicks is long boot ? " " + boot.ToString(CultureInfo.InvariantCulture) : string.Empty));

        private void Write(string note)
        {
            var text = Encoding.ASCII.GetBytes(note);
            lock (_lock)
            {
                if (_released) return;
                var stream = _lock.Stream;
                stream.SetLength(0);
                stream.Write(text, 0, text.Length);
                stream.Flush();
            }
        }

        /// <summary>Gives the place back (its process has ended): the file is emptied, then unlocked.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                if (_released) return;
                _released = true;
                try { _lock.Stream.SetLength(0); }
                catch (IOException) { } // the lock goes all the same; a stale note names a process that is gone
                _lock.Dispose();
            }
        }

        // The process a slot's last holder recorded and did not clear (it died with its stage still running), or null; a
        // holder that died between naming its token and naming its process left the token, by which the process is found.
        private static ProcessIdentity? LeftBy(WorkspaceLock held)
        {
            var stream = held.Stream;
            if (stream.Length == 0 || stream.Length > 64) return null;
            var bytes = new byte[stream.Length];
            stream.Position = 0;
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }
            stream.Position = 0;
            var note = Encoding.ASCII.GetString(bytes, 0, read);
            if (note.StartsWith(TokenPrefix, StringComparison.Ordinal)) return ProcessIdentity.FindByToken(note.Substring(TokenPrefix.Length));
            // "pid start-UTC-ticks", and on Linux " boot-ticks" (an older holder wrote no boot ticks).
            var parts = note.Split(' ');
            long boot = 0;
            return parts.Length is 2 or 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks > 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && (parts.Length == 2 || long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out boot))
                ? new ProcessIdentity(pid, new DateTimeOffset(ticks, TimeSpan.Zero), parts.Length == 3 ? boot : null)
                : null;
        }
    }
}
