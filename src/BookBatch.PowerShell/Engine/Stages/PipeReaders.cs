using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// Copies the lines of stage output pipes on threads kept for that alone. A pipe cannot be read asynchronously:
    /// Process.BeginOutputReadLine blocks a pool thread per pipe for the stage's whole life, so a batch with several
    /// books in flight starved the pool that delivers every exit and start. A thread of its own per pipe avoids that,
    /// and keeping the threads that finished for the next stage saves creating two threads for every stage.
    /// </summary>
    internal static class PipeReaders
    {
        // A reader left idle this long ends; a batch that goes on finds new ones.
        private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(30);
        private static readonly object Gate = new();
        private static readonly List<Reader> Idle = new();

        /// <summary>Copies every line of <paramref name="stream"/> to <paramref name="line"/>, then closes it; the task ends with the stream.</summary>
        public static Task Copy(StreamReader stream, Action<string> line)
        {
            var job = new Job(stream, line);
            Reader? reader = null;
            lock (Gate)
            {
                if (Idle.Count > 0)
                {
                    reader = Idle[Idle.Count - 1];
                    Idle.RemoveAt(Idle.Count - 1);
                }
            }
            if (reader is null) new Reader().Start(job);
            else reader.Give(job);
            return job.Done.Task;
        }

        private sealed class Job
        {
            public Job(StreamReader stream, Action<string> line)
            {
                Stream = stream;
                Line = line;
            }

            public StreamReader Stream { get; }
            public Action<string> Line { get; }
            // Completed on the reader's thread, which goes on with what waits for it (joining the two streams, at most
            // the attempt's end): handing that to the pool would cost every stage two wake-ups for nothing.
            public TaskCompletionSource<bool> Done { get; } = new();

            public void Run()
            {
                try
                {
                    for (var text = Stream.ReadLine(); text != null; text = Stream.ReadLine()) Line(text);
                }
                catch (Exception)
                {
                    // The stream was closed under the read (the attempt is over): nothing more to copy. An exception
                    // must not escape this thread, or it would end the whole PowerShell process.
                }
                finally
                {
                    // Process.Dispose leaves a stream read synchronously open: closed here, its pipe goes at once instead
                    // of with the garbage collector's finalizer thread, which closed every stage's two pipes late.
                    Stream.Dispose();
                    Done.TrySetResult(true);
                }
            }
        }

        // An idle reader sleeps on a monitor, which blocks at once: a semaphore would first spin, and on a small
        // machine two readers spinning after every stage take the processor from the next stage's process.
        private sealed class Reader
        {
            private readonly object _given = new();
            private Job? _next;

            public void Start(Job first)
            {
                _next = first;
                new Thread(Loop) { IsBackground = true, Name = "BookBatch stage output" }.Start();
            }

            public void Give(Job job)
            {
                lock (_given)
                {
                    _next = job;
                    Monitor.Pulse(_given);
                }
            }

            private void Loop()
            {
                while (true)
                {
                    Job? job;
                    lock (_given)
                    {
                        job = _next;
                        _next = null;
                    }
                    job?.Run();
                    lock (Gate) Idle.Add(this);
                    lock (_given)
                    {
                        while (_next is null)
                        {
                            if (Monitor.Wait(_given, IdleTime)) continue;
                            lock (Gate)
                            {
                                // Still idle: nobody can give it work any more, so it may end. Otherwise a job is on its way.
                                if (Idle.Remove(this)) return;
                            }
                        }
                    }
                }
            }
        }
    }
}
