using System.Runtime.InteropServices;

namespace BookBatch.Engine.Stages
{
    /// <summary>IO_COUNTERS: six 64-bit counters, 48 bytes everywhere.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct JobObjectIoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }
}
