using System;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Batches
{
    /// <summary>An attempt's place of a stage, taken from its <see cref="StageGate"/>: given back once, when its process ends.</summary>
    internal sealed class StagePlace : IDisposable
    {
        private readonly StageGate _gate;
        private IStageSlot? _slot;
        private bool _held = true;

        public StagePlace(StageGate gate, IStageSlot? slot)
        {
            _gate = gate;
            _slot = slot;
        }

        /// <summary>Names the attempt's process in the workspace's record of the place.</summary>
        public void Record(ProcessIdentity process) => _slot?.Record(process);

        /// <summary>Names the attempt there just before its process starts.</summary>
        public void Expect(StageAttemptMark attempt) => _slot?.Expect(attempt);

        public void Dispose()
        {
            if (!_held) return;
            _held = false;
            _gate.Released();
            _slot?.Dispose();
            _slot = null;
        }
    }
}
