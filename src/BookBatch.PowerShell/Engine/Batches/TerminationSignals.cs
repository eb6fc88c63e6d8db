using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// A host asked to stop — SIGTERM (systemctl stop, kill, a container stop), SIGHUP (a closed terminal, a dropped ssh
    /// session); on Windows a closed console window or a shutdown — stops this process's batches as Ctrl+C does: their
    /// stages' process trees are ended, the attempts recorded as interrupted, the journals ended. Then the process
    /// ends as it was told to. (Ctrl+C itself is PowerShell's, through the cmdlet's StopProcessing.)
    /// <para>
    /// Ctrl+C in a terminal sends SIGINT to the whole foreground process group: the stages get it as the host does, and
    /// one may exit (130, or whatever it chooses) before PowerShell has stopped the pipeline. So SIGINT stops this
    /// process's batches at once too, leaving PowerShell's own handling as it is: an attempt that ends then was stopped
    /// by the interruption and is recorded as interrupted, never as failed.
    /// </para>
    /// </summary>
    /// <remarks>
    /// Through .NET's PosixSignalRegistration (PowerShell 7), found by reflection: the module targets netstandard2.0.
    /// On Windows PowerShell 5.1 it is absent, and the stages' job object ends them with the host instead.
    /// </remarks>
    internal static class TerminationSignals
    {
        /// <summary>How long a stopping batch may take to record its end before the process goes on ending.</summary>
        private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

        private static readonly object Gate = new();
        private static readonly List<(CancellationTokenSource Stop, Task Ended, TimeSpan Wait)> Running = new();
        private static List<IDisposable>? _registrations; // kept for the life of the process

        /// <summary>
        /// Stops <paramref name="stop"/> on a termination signal and waits for <paramref name="ended"/>, at most
        /// <paramref name="wait"/> longer than a batch's few seconds (a worker's grace for its stages to end); dispose when
        /// the batch is over.
        /// </summary>
        public static IDisposable StopOn(CancellationTokenSource stop, Task ended, TimeSpan wait = default)
        {
            var entry = (stop, ended, Grace + wait);
            lock (Gate)
            {
                _registrations ??= Register();
                Running.Add(entry);
            }
            return new Registration(entry);
        }

        private sealed class Registration : IDisposable
        {
            private readonly (CancellationTokenSource, Task, TimeSpan) _entry;
            public Registration((CancellationTokenSource, Task, TimeSpan) entry) => _entry = entry;
            public void Dispose()
            {
                lock (Gate) Running.Remove(_entry);
            }
        }

        // Runs on the runtime's signal thread; when it returns, the signal's default action (ending the process) follows.
        private static void OnSignal(object context)
        {
            List<(CancellationTokenSource Stop, Task Ended, TimeSpan Wait)> batches;
            lock (Gate) batches = Running.ToList();
            foreach (var (stop, _, _) in batches)
            {
                try { stop.Cancel(); }
                catch (ObjectDisposedException) { } // it ended meanwhile
            }
            try { Task.WaitAll(batches.Select(b => b.Ended).ToArray(), batches.Count == 0 ? Grace : batches.Max(b => b.Wait)); }
            catch (AggregateException) { } // a batch that failed has ended too
        }

        // SIGINT: the batches stop now; PowerShell (which handles Ctrl+C itself) stops the pipeline. Only when nobody handles
        // the signal (the process is about to end) does it wait for the batches' records, as for SIGTERM.
        private static void OnInterrupt(object context)
        {
            var handled = context.GetType().GetProperty("Cancel")?.GetValue(context) is true;
            if (handled)
            {
                List<(CancellationTokenSource Stop, Task Ended, TimeSpan Wait)> batches;
                lock (Gate) batches = Running.ToList();
                foreach (var (stop, _, _) in batches)
                {
                    try { stop.Cancel(); }
                    catch (ObjectDisposedException) { } // it ended meanwhile
                }
            }
            else OnSignal(context);
        }

        private static List<IDisposable> Register()
        {
            var registrations = new List<IDisposable>();
            var registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices", throwOnError: false);
            var signal = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices", throwOnError: false);
            var context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices", throwOnError: false);
            if (registration is null || signal is null || context is null) return registrations;
            var handlerType = typeof(Action<>).MakeGenericType(context);
            var create = registration.GetMethod("Create", BindingFlags.Public | BindingFlags.Static, null, new[] { signal, handlerType }, null);
            if (create is null) return registrations;
            // Action<object> binds to Action<PosixSignalContext>: a delegate may take a less derived parameter.
            Delegate Handler(string method) =>
                Delegate.CreateDelegate(handlerType, typeof(TerminationSignals).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!);
            foreach (var (name, handler) in new[] { ("SIGTERM", Handler(nameof(OnSignal))), ("SIGHUP", Handler(nameof(OnSignal))), ("SIGINT", Handler(nameof(OnInterrupt))) })
            {
                try { registrations.Add((IDisposable)create.Invoke(null, new[] { Enum.Parse(signal, name), handler })!); }
                catch (TargetInvocationException) { } // a signal this platform does not have
            }
            return registrations;
        }
    }
}
