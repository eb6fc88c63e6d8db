using System;
using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Runs;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Storage;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Module
{
    /// <summary>Turns the engine's exceptions and the module's own complaints into ErrorRecords: one place, one id each.</summary>
    internal static class Errors
    {
        /// <summary>A record of the module's own: bad input it found itself.</summary>
        public static ErrorRecord Record(string errorId, ErrorCategory category, string message, object? target) =>
            new(new ArgumentException(message), errorId, category, target);

        /// <summary>The record of an engine exception; <paramref name="target"/> is the input it concerns.</summary>
        public static ErrorRecord From(Exception e, object? target) => e switch
        {
            LedgerCorruptException c => new ErrorRecord(c, ErrorIds.BookDatabaseCorrupt, ErrorCategory.InvalidData, c.Path),
            WorkspaceLockedException l => new ErrorRecord(l, ErrorIds.BookDatabaseLocked, ErrorCategory.ResourceBusy, l.Path),
            BookNotFoundException n => new ErrorRecord(n, ErrorIds.BookNotFound, ErrorCategory.ObjectNotFound, target ?? n.Book.ToString()),
            BookAmbiguousException a => new ErrorRecord(a, ErrorIds.BookAmbiguous, ErrorCategory.InvalidArgument, target ?? a.Book.ToString()),
            BookAlreadyRecordedException r => new ErrorRecord(r, ErrorIds.BookAlreadyRecorded, ErrorCategory.ResourceExists, target ?? r.Book.ToString()),
            StageNotFoundException s => new ErrorRecord(s, ErrorIds.StageNotFound, ErrorCategory.InvalidArgument, s.Stage),
            RunFolderNotFoundException f => new ErrorRecord(f, ErrorIds.RunFolderNotFound, ErrorCategory.ObjectNotFound, target ?? f.RunFolder),
            RunSummaryCorruptException s => new ErrorRecord(s, ErrorIds.RunSummaryCorrupt, ErrorCategory.InvalidData, s.Path),
            SettingsInvalidException s => new ErrorRecord(s, ErrorIds.BookBatchSettingsInvalid, ErrorCategory.InvalidData, s.Path),
            BookInProgressException h => new ErrorRecord(h, ErrorIds.BookInProgress, ErrorCategory.ResourceBusy, target ?? h.Book),
            BookStageNotRunningException r => new ErrorRecord(r, ErrorIds.BookStageNotRunning, ErrorCategory.ObjectNotFound, target ?? r.Book.ToString()),
            BookStageNotEndedException x => new ErrorRecord(x, ErrorIds.BookStageNotEnded,
                x.TimedOut ? ErrorCategory.OperationTimeout : ErrorCategory.PermissionDenied, target ?? x.Book.ToString()),
            BatchNotFoundException b => new ErrorRecord(b, ErrorIds.BatchNotFound, ErrorCategory.ObjectNotFound, target ?? b.Id ?? b.BatchesPath),
            Engine.Dashboard.DashboardTokenRequiredException t => new ErrorRecord(t, ErrorIds.DashboardAccessTokenRequired, ErrorCategory.SecurityError, target ?? t.Address),
            Engine.Dashboard.DashboardListenException l => new ErrorRecord(l, ErrorIds.DashboardPortUnavailable, ErrorCategory.ResourceUnavailable, target),
            WorkspaceExistsException w => new ErrorRecord(w, ErrorIds.WorkspaceAlreadyExists, ErrorCategory.ResourceExists, w.SettingsPath),
            RunFolderIOException f => new ErrorRecord(f, ErrorIds.RunFolderIOError, f.PermissionDenied ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, f.Path),
            BookDatabaseReadOnlyException r => new ErrorRecord(r, ErrorIds.BookDatabaseReadOnly, ErrorCategory.PermissionDenied, r.Path),
            BookDatabaseIOException d => new ErrorRecord(d, ErrorIds.BookDatabaseIOError, d.PermissionDenied ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError, d.Path),
            Engine.Postgres.StoreException s => StoreErrors.Record(s),
            UnauthorizedAccessException u => new ErrorRecord(u, ErrorIds.BookDatabaseIOError, ErrorCategory.PermissionDenied, target),
            IOException io => new ErrorRecord(io, ErrorIds.BookDatabaseIOError, ErrorCategory.WriteError, target),
            _ => new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, target),
        };

        /// <summary>True for the exceptions that <see cref="From"/> knows: the others are bugs and must surface as they are.</summary>
        public static bool IsKnown(Exception e) =>
            e is LedgerCorruptException or WorkspaceLockedException or BookNotFoundException or BookAmbiguousException
              or BookAlreadyRecordedException or StageNotFoundException or RunFolderNotFoundException
              or RunSummaryCorruptException or RunFolderIOException or SettingsInvalidException or BatchNotFoundException or BookInProgressException
              or BookStageNotRunningException or BookStageNotEndedException or UnauthorizedAccessException or IOException
              or Engine.Dashboard.DashboardTokenRequiredException or Engine.Dashboard.DashboardListenException
              or Engine.Postgres.StoreException;
    }
}
