using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BookBatch.Engine.Stages;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class StageJobTests
    {
        // The layouts Windows expects (winnt.h), checked as data so a Linux CI run catches a wrong field.
        [Fact]
        public void TheExtendedLimitStructHasTheWin32SizeAndOffsets()
        {
            var is64 = IntPtr.Size == 8;
            Assert.Equal(is64 ? 144 : 112, Marshal.SizeOf<JobObjectExtendedLimitInformation>());
            Assert.Equal(is64 ? 64 : 48, (int)Marshal.OffsetOf<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.IoInfo)));
            Assert.Equal(is64 ? 112 : 96, (int)Marshal.OffsetOf<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.ProcessMemoryLimit)));
            Assert.Equal(48, Marshal.SizeOf<JobObjectIoCounters>());
        }

        [Fact]
        public void TheBasicLimitStructHasTheWin32SizeAndOffsets()
        {
            var is64 = IntPtr.Size == 8;
            Assert.Equal(is64 ? 64 : 48, Marshal.SizeOf<JobObjectBasicLimitInformation>());
            Assert.Equal(16, (int)Marshal.OffsetOf<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.LimitFlags)));
            Assert.Equal(is64 ? 48 : 32, (int)Marshal.OffsetOf<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.Affinity)));
            Assert.Equal(is64 ? 60 : 40, (int)Marshal.OffsetOf<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.SchedulingClass)));
        }

        [Fact]
        public void TheJobIsAskedToKillOnCloseThroughTheExtendedLimits()
        {
            Assert.Equal(0x2000u, StageJob.KillOnJobClose);
            Assert.Equal(9, StageJob.ExtendedLimitInformationClass);
        }

        [NotOnWindowsFact]
        [Trait("Platform", "Unix")]
        public void OffWindowsAssignDoesNothing()
        {
            using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
            try
            {
                Assert.False(StageJob.Assign(child));
                Assert.Null(StageJob.Handle); // no job was made
                Assert.False(child.HasExited);
            }
            finally
            {
                child.Kill();
                child.WaitForExit(10000);
            }
        }

        // A refusal must never fail the stage: a Process without a handle is refused, not thrown on, everywhere.
        [Fact]
        public void AssignRefusesAProcessWithoutAHandleInsteadOfThrowing()
        {
            var disposed = new Process();
            disposed.Dispose();
            Assert.False(StageJob.Assign(disposed));
        }

        [WindowsFact]
        [Trait("Platform", "Windows")]
        public void OnWindowsAStartedProcessJoinsTheKillOnCloseJob()
        {
            using var child = Process.Start(new ProcessStartInfo("cmd.exe", "/c ping -n 30 127.0.0.1") { UseShellExecute = false, CreateNoWindow = true })!;
            try
            {
                Assert.True(StageJob.Assign(child));
                var job = StageJob.Handle;
                Assert.NotNull(job);
                // Against our job, not "any job": a CI runner may already run the tests inside a job of its own.
                Assert.True(IsProcessInJob(child.SafeHandle, job!, out var inJob), "IsProcessInJob failed: " + Marshal.GetLastWin32Error());
                Assert.True(inJob);
                Assert.True(QueryInformationJobObject(job!, StageJob.ExtendedLimitInformationClass, out var limits,
                    (uint)Marshal.SizeOf<JobObjectExtendedLimitInformation>(), IntPtr.Zero), "QueryInformationJobObject failed: " + Marshal.GetLastWin32Error());
                Assert.Equal(StageJob.KillOnJobClose, limits.BasicLimitInformation.LimitFlags & StageJob.KillOnJobClose);
                Assert.Same(job, StageJob.Handle); // one job for the process, not one per stage
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(10000);
            }
        }

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool IsProcessInJob(SafeProcessHandle process, SafeHandle job, [MarshalAs(UnmanagedType.Bool)] out bool result);

        [DllImport("kernel32.dll", SetLastError = true)]
        [return: MarshalAs(UnmanagedType.Bool)]
        private static extern bool QueryInformationJobObject(SafeHandle job, int infoClass, out JobObjectExtendedLimitInformation info, uint length, IntPtr returnLength);

        // Real skips, reported with their reason, decided when xunit reads the attribute: no package needed.
        private sealed class WindowsFactAttribute : FactAttribute
        {
            public WindowsFactAttribute()
            {
                if (!OperatingSystem.IsWindows()) Skip = "Job objects exist only on Windows.";
            }
        }

        private sealed class NotOnWindowsFactAttribute : FactAttribute
        {
            public NotOnWindowsFactAttribute()
            {
                if (OperatingSystem.IsWindows()) Skip = "On Windows Assign does make a job (see OnWindowsAStartedProcessJoinsTheKillOnCloseJob).";
            }
        }
    }
}
