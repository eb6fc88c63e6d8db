using System;

namespace BookBatch.Engine.Runs
{
    /// <summary>A book's run folder is not there.</summary>
    public sealed class RunFolderNotFoundException : Exception
    {
        /// <summary>Creates the error for a book line and its run folder name.</summary>
        public RunFolderNotFoundException(string book, string? runFolder)
            : base(runFolder is null
                ? $"'{book}' has no run folder yet, so there is no stage to reset. Reset it without -FromStage."
                : $"The run folder '{runFolder}' of '{book}' is not in runs/. Reset it without -FromStage; the next batch starts a new folder.")
            => RunFolder = runFolder;

        /// <summary>The run folder name recorded in the ledger.</summary>
        public string? RunFolder { get; }
    }
}
