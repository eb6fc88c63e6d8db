using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// On Windows, the job object every stage's process tree is put in: it is made with
    /// <c>JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE</c>, and only this process holds its handle, so when the host ends in any
    /// way (TerminateProcess, a stopped scheduled task, Stop-Process) Windows closes the handle and ends the stages with
    /// it. Children a stage starts later join the job by themselves. Elsewhere it does nothing.
    /// </summary>
    internal static class StageJob
    {
        /// <summary>JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: closing the job's last handle ends every process in it.</summary>
        internal const uint KillOnJobClose = 0x2000;

        /// <summary>JobObjectExtendedLimitInformation, the JOBOBJECTINFOCLASS that carries the kill-on-close flag.</summary>
        internal const int ExtendedLimitInformationClass = 9;

        private static readonly object Gate = new object();

        // Kept in a static field for the life of the process and never closed: closing it would end the running stages.
        private static JobHandle? job;
        private static bool unavailable;

        /// <summary>The job, once made; null until the first stage on Windows (or for good, if it could not be made).</summary>
        internal static SafeHandle? Handle
        {
            get { lock (Gate) return job; }
        }

        /// <summary>
        /// Puts a just-started process in the job. Returns false, and changes nothing, off Windows or when Windows
        /// refuses (an old Windows whose host is already in a job that allows no nesting, a process already gone): the
        /// stage goes on, and the tree kill on a time-out or a stop still ends it.
        /// </summary>
        public static bool Assign(Process process)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
            var target = Job();
            if (target == null) return false;
            try
            {
                return NativeMethods.AssignProcessToJobObject(target, process.SafeHandle);
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
            {
                return false; // the Process has no handle (never started, or already disposed)
            }
        }

        private static JobHandle? Job()
        {
            lock (Gate)
            {
                if (job != null || unavailable) return job;
                // No security attributes: the handle is not inheritable, so a stage never holds a copy that would keep
                // the job open after the host is gone.
                var made = NativeMethods.CreateJobObjectW(IntPtr.Zero, null);
                if (made.IsInvalid)
                {
                    made.Dispose();
                    unavailable = true;
                    return null;
                }
                var limits = new JobObjectExtendedLimitInformation();
                limits.BasicLimitInformation.LimitFlags = KillOnJobClose;
                if (!NativeMethods.SetInformationJobObject(made, ExtendedLimitInformationClass, ref limits, (uint)Marshal.SizeOf<JobObjectExtendedLimitInformation>()))
                {
                    // A job without kill-on-close would only hold the stages, not end them: not worth having.
                    made.Dispose();
                    unavailable = true;
                    return null;
                }
                job = made;
                return job;
            }
        }

        private sealed class JobHandle : SafeHandleZeroOrMinusOneIsInvalid
        {
            public JobHandle() : base(ownsHandle: true) { }

            protected override bool ReleaseHandle() => NativeMethods.CloseHandle(handle);
        }

        private static class NativeMethods
        {
            [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
            public static extern JobHandle CreateJobObjectW(IntPtr jobAttributes, string? name);

            [DllImport("kernel32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool SetInformationJobObject(JobHandle job, int infoClass, ref JobObjectExtendedLimitInformation info, uint length);

            [DllImport("kernel32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool AssignProcessToJobObject(JobHandle job, SafeProcessHandle process);

            [DllImport("kernel32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            public static extern bool CloseHandle(IntPtr handle);
        }
    }
}
