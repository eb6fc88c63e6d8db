using System;
using System.Collections.Generic;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Planning;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Coordination
{
    /// <summary>One place of a stage's concurrency, held by one attempt until its process ends.</summary>
    public interface IStageSlot : IDisposable
    {
        /// <summary>Names the attempt just before its process starts (a host may die before it can name the process).</summary>
        void Expect(StageAttemptMark attempt);

        /// <summary>Names the attempt's process, so that the place stays taken while a leftover of it runs.</summary>
        void Record(ProcessIdentity process);
    }
}
