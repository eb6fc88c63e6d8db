using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Coordination
{
    /// <summary>A leftover stage process could not be ended, or did not end in time: nothing was recorded.</summary>
    public sealed class BookStageNotEndedException : Exception
    {
        /// <summary>Creates the error for a book's stage, its process and why it still runs (it was killed and outlived the wait, or it could not be killed).</summary>
        public BookStageNotEndedException(Book book, string stage, int pid, string why, bool timedOut)
            : base($"Stage '{stage}' of '{book}' still runs as process {pid}: {why}. Nothing was recorded, and the book stays in progress. " +
                   $"End the process as its owner or an administrator (kill -KILL {pid}; on Windows Stop-Process -Id {pid} -Force); " +
                   "once it is gone, the next batch takes the book up.")
        {
            Book = book;
            Pid = pid;
            TimedOut = timedOut;
        }

        /// <summary>True when it was killed and outlived the wait; false when it could not be killed (most often: not allowed).</summary>
        public bool TimedOut { get; }

        /// <summary>The book, as recorded.</summary>
        public Book Book { get; }

        /// <summary>The process that still runs.</summary>
        public int Pid { get; }
    }
}
