using System;
using System.Runtime.InteropServices;

namespace BookBatch.Engine.Stages
{
    /// <summary>JOBOBJECT_BASIC_LIMIT_INFORMATION: 64 bytes in a 64-bit process, 48 in a 32-bit one.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct JobObjectBasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }
}
