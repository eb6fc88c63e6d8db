using System;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace BookBatch.Engine.Stages
{
    /// <summary>Ends a process and every process it started, on Windows and on Unix.</summary>
    internal static class ProcessTree
    {
        // Process.Kill(bool entireProcessTree) exists on .NET Core 3+ (PowerShell 7) but not in netstandard2.0.
        private static readonly MethodInfo? KillTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        public static void Kill(Process process)
        {
            try
            {
                if (process.HasExited) return;
                if (KillTree != null) KillTree.Invoke(process, new object[] { true });
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) TaskKill(process.Id);
                else process.Kill();
            }
            catch (InvalidOperationException) { } // it exited meanwhile
            catch (TargetInvocationException e) when (e.InnerException is InvalidOperationException) { }
        }

        // Windows PowerShell 5.1 (.NET Framework): taskkill ends the tree; arguments are numbers, no shell.
        private static void TaskKill(int pid)
        {
            var start = new ProcessStartInfo("taskkill.exe", $"/PID {pid} /T /F") { UseShellExecute = false, CreateNoWindow = true };
            using var killer = Process.Start(start);
            killer?.WaitForExit(10000);
        }
    }
}
