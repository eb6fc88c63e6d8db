using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Reports;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>
    /// Reads the workspace again whenever its files change (a watcher on the workspace and on <c>batches/</c>, and, while
    /// a batch runs, a look every <see cref="Poll"/> for what no watcher sees: the run folders), and keeps the latest body of the page
    /// for the connected pages. One thread reads, at most every <see cref="Gap"/>: a batch of quick stages changes files
    /// hundreds of times a second, and a page a quarter of a second behind is still live, while reading after every
    /// change would take a batch's processor time. The pages wait for a newer version.
    /// </summary>
    public sealed class SnapshotFeed : IDisposable
    {
        /// <summary>How often the workspace is read when no watcher said anything.</summary>
        public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(400);
        private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(30);
        /// <summary>The least time from one read of the workspace to the next.</summary>
        public static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(250);
        private readonly System.Diagnostics.Stopwatch _sinceRead = new();

        private readonly WorkspaceReader _reader;
        private readonly Workspace _workspace;
        private readonly AutoResetEvent _changed = new(false);
        private readonly CancellationTokenSource _stop = new();
        private readonly object _gate = new();
        private readonly Thread _thread;
        private FileSystemWatcher[] _watchers = Array.Empty<FileSystemWatcher>();
        private bool _batchesWatched; // batches/ existed when the watchers were made (its watcher may still have failed: the poll covers that)
        private string _body = string.Empty;
        private string _message = string.Empty;
        private WorkspaceSnapshot? _snapshot;
        private long _version;

        /// <summary>Starts reading the workspace.</summary>
        public SnapshotFeed(Workspace workspace, IWorkspaceCoordination coordination)
        {
            _workspace = workspace;
            _reader = new WorkspaceReader(workspace, coordination);
            Watch();
            _thread = new Thread(Run) { IsBackground = true, Name = "BookBatch dashboard reader" };
            ReadOnce();
            _thread.Start();
        }

        /// <summary>The latest snapshot.</summary>
        public WorkspaceSnapshot? Snapshot { get { lock (_gate) return _snapshot; } }

        /// <summary>Waits until there is a version newer than <paramref name="version"/>, at most <paramref name="timeout"/>.</summary>
        public (long Version, string Message) WaitNewer(long version, TimeSpan timeout, CancellationToken cancellation)
        {
            var until = DateTime.UtcNow + timeout;
            lock (_gate)
            {
                while (_version <= version && !cancellation.IsCancellationRequested && !_stop.IsCancellationRequested)
                {
                    var left = until - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
                }
                return (_version, _message);
            }
        }

        private void Watch()
        {
            FileSystemWatcher? Watcher(string folder, bool subfolders)
            {
                if (!Directory.Exists(folder)) return null;
                try
                {
                    var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = subfolders, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
                    FileSystemEventHandler changed = (_, _) => _changed.Set();
                    watcher.Changed += changed;
                    watcher.Created += changed;
                    watcher.Deleted += changed;
                    watcher.Renamed += (_, _) => _changed.Set();
                    watcher.EnableRaisingEvents = true;
                    return watcher;
                }
                catch (IOException) { return null; }      // out of watches: the poll still sees every change
                catch (ArgumentException) { return null; }
            }
            foreach (var watcher in _watchers) watcher.Dispose();
            _batchesWatched = Directory.Exists(_workspace.BatchesPath);
            _watchers = new[] { Watcher(_workspace.Root, false), Watcher(_workspace.BatchesPath, true) }
                .Where(w => w != null).Select(w => w!).ToArray();
        }

        private void Run()
        {
            while (!_stop.IsCancellationRequested)
            {
                var woken = WaitHandle.WaitAny(new[] { _changed, _stop.Token.WaitHandle }, Poll);
                if (woken == 1) return;
                // Unwatched, only the run folders change without a watcher seeing it, and only while a batch runs.
                if (woken == WaitHandle.WaitTimeout && Snapshot?.Batches.Any(b => b.Running) != true) continue;
                // A burst of changes (a line, then a file replaced) is read once, and never sooner than Gap after the last read.
                var wait = Gap - _sinceRead.Elapsed;
                if (_stop.Token.WaitHandle.WaitOne(wait > Settle ? wait : Settle)) return;
                if (!_batchesWatched && Directory.Exists(_workspace.BatchesPath)) Watch(); // the first batch made batches/
                try { ReadOnce(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
                {
                    // A file replaced or removed while it was read: the next turn reads it again.
                }
            }
        }

        private void ReadOnce()
        {
            _sinceRead.Restart();
            var snapshot = _reader.Read(DateTimeOffset.Now);
            var body = DashboardHtml.Body(snapshot);
            lock (_gate)
            {
                _snapshot = snapshot;
                if (body == _body) return;
                _body = body;
                _message = JsonSerializer.Serialize(new { taken = snapshot.Taken.ToLocalTime().ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), html = body });
                _version++;
                Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Stops reading.</summary>
        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            // The reader may be making new watchers: they are disposed once it has stopped.
            if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(5));
            foreach (var watcher in _watchers) watcher.Dispose();
            lock (_gate) Monitor.PulseAll(_gate);
        }
    }
}
