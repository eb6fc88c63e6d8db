using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Module
{
    /// <summary>
    /// The module's one message pump: background work posts messages, and only the pipeline thread, inside
    /// <see cref="Run"/>, turns them into WriteObject, WriteProgress, WriteVerbose or WriteError calls
    /// (workers never call Write*: some hosts fail only intermittently when they do).
    /// </summary>
    internal sealed class PipelinePump : IDisposable
    {
        private readonly BlockingCollection<Action<Cmdlet>> _queue = new(new ConcurrentQueue<Action<Cmdlet>>(), boundedCapacity: 4096);

        /// <summary>Called on the pipeline thread between messages, at least every 50 ms (progress draws itself there).</summary>
        public Action<Cmdlet>? Tick { get; set; }

        /// <summary>Queues a message; called from any thread.</summary>
        public void Post(Action<Cmdlet> message) => _queue.Add(message);

        /// <summary>
        /// Delivers messages on the calling (pipeline) thread until <paramref name="work"/> has finished and the queue
        /// is empty. When the pipeline is stopped, messages can no longer be written: they are dropped, but the work
        /// is still waited for, so that it ends its processes and writes its journal before the stop goes on. A message
        /// whose write stops the command (-ErrorAction Stop on an error) calls <paramref name="stop"/> and does the same.
        /// </summary>
        public void Run(Cmdlet cmdlet, Task work, Action stop)
        {
            RuntimeException? stopped = null;
            // A write that finds the pipeline stopped (Ctrl+C) or the command stopping (-ErrorAction Stop), whether a
            // message's or the tick's progress, stops the work and is thrown only once the work has ended.
            void Deliver(Action<Cmdlet>? write)
            {
                if (stopped != null || write is null) return;
                try { write(cmdlet); }
                catch (Exception e) when (e is PipelineStoppedException or ActionPreferenceStopException)
                {
                    stopped = (RuntimeException)e;
                    stop();
                }
            }
            while (true)
            {
                Deliver(Tick);
                if (_queue.TryTake(out var message, 50))
                {
                    Deliver(message);
                    continue;
                }
                if (work.IsCompleted && _queue.Count == 0) break;
            }
            if (stopped != null) throw stopped;
            work.GetAwaiter().GetResult();
        }

        public void Dispose() => _queue.Dispose();
    }
}
