namespace BookBatch.Module
{
    /// <summary>The stable ErrorIds of the module: scripts may rely on them (<c>$_.FullyQualifiedErrorId</c>).</summary>
    public static class ErrorIds
    {
        /// <summary>A book-list line that is not a book.</summary>
        public const string InvalidBookLine = "InvalidBookLine";
        /// <summary>An input object that is neither a line nor an object with a Title.</summary>
        public const string InvalidBookInput = "InvalidBookInput";
        /// <summary>A title-only line that matches several recorded books.</summary>
        public const string BookAmbiguous = "BookAmbiguous";
        /// <summary>A book that is not in the database.</summary>
        public const string BookNotFound = "BookNotFound";
        /// <summary>Add-Book of a book that is already recorded.</summary>
        public const string BookAlreadyRecorded = "BookAlreadyRecorded";
        /// <summary>A URL that is not an absolute http(s) URL.</summary>
        public const string BookUrlInvalid = "BookUrlInvalid";
        /// <summary><c>database.json</c> cannot be read.</summary>
        public const string BookDatabaseCorrupt = "BookDatabaseCorrupt";
        /// <summary>Another process held the workspace lock too long.</summary>
        public const string BookDatabaseLocked = "BookDatabaseLocked";
        /// <summary>The database could not be read or written for a reason of the file system.</summary>
        public const string BookDatabaseIOError = "BookDatabaseIOError";
        /// <summary>A change to a database.json that is read-only (its ReadOnly attribute, or no write bit for its owner): refused, nothing written.</summary>
        public const string BookDatabaseReadOnly = "BookDatabaseReadOnly";
        /// <summary>The workspace folder does not exist.</summary>
        public const string WorkspaceNotFound = "WorkspaceNotFound";
        /// <summary>New-BookWorkspace over a folder that already has settings.</summary>
        public const string WorkspaceAlreadyExists = "WorkspaceAlreadyExists";
        /// <summary>Reset-Book -FromStage names a stage the book's run does not have.</summary>
        public const string StageNotFound = "StageNotFound";
        /// <summary>Reset-Book -FromStage on a book whose run folder is gone.</summary>
        public const string RunFolderNotFound = "RunFolderNotFound";
        /// <summary>Invoke-BookBatch with neither pipeline input nor -Path.</summary>
        public const string BookListMissing = "BookListMissing";
        /// <summary>A -Path that names no file.</summary>
        public const string BookListNotFound = "BookListNotFound";
        /// <summary>A -Path that names a folder or a file that cannot be read.</summary>
        public const string BookListUnreadable = "BookListUnreadable";
        /// <summary>bookbatch.json is missing or wrong.</summary>
        public const string BookBatchSettingsInvalid = "BookBatchSettingsInvalid";
        /// <summary>Invoke-BookBatch -MailTo or Register-BookBatchSchedule -MailTo with something that is not a mail address.</summary>
        public const string MailRecipientInvalid = "MailRecipientInvalid";
        /// <summary>-MailTo in a workspace whose bookbatch.json has no email target to send through.</summary>
        public const string MailTargetMissing = "MailTargetMissing";
        /// <summary>Set-BookBatchMailCredential with an empty password or user name, or a server that is not a host name or address.</summary>
        public const string MailCredentialInvalid = "MailCredentialInvalid";
        /// <summary>Remove-BookBatchMailCredential of a login whose password is not stored.</summary>
        public const string MailCredentialNotFound = "MailCredentialNotFound";
        /// <summary>The stored mail password cannot be written or removed (no permission, a folder in its place, a runtime without owner-only files).</summary>
        public const string MailCredentialStoreFailed = "MailCredentialStoreFailed";
        /// <summary>A run folder's summary.json cannot be read.</summary>
        public const string RunSummaryCorrupt = "RunSummaryCorrupt";
        /// <summary>A book's run folder (or its summary.json) cannot be read or written: a folder in a file's place, no permission. The batch goes on with the next book.</summary>
        public const string RunFolderIOError = "RunFolderIOError";
        /// <summary>-Workspace (or $env:BOOKBATCH_WORKSPACE) names a file, not a folder.</summary>
        public const string WorkspaceNotAFolder = "WorkspaceNotAFolder";
        /// <summary>The workspace folder exists but cannot be listed or read (no permission).</summary>
        public const string WorkspaceUnreadable = "WorkspaceUnreadable";
        /// <summary>Get-BookRun -Log for a book or stage that has no log file.</summary>
        public const string StageLogNotFound = "StageLogNotFound";
        /// <summary>Get-BatchSummary of a batch id that has no journal, or in a workspace with no batch yet.</summary>
        public const string BatchNotFound = "BatchNotFound";
        /// <summary>A live batch, or a stage process a dead batch left running, holds the book (or the database a repair would rewrite).</summary>
        public const string BookInProgress = "BookInProgress";
        /// <summary>Stop-BookStage of a book for which no stage process a dead batch left is running.</summary>
        public const string BookStageNotRunning = "BookStageNotRunning";
        /// <summary>Stop-BookStage could not end a leftover stage process, or it did not end in time.</summary>
        public const string BookStageNotEnded = "BookStageNotEnded";
        /// <summary>A book of a batch failed (a stage failed after its retries, or the book timed out); the target is its BookBatchResult.</summary>
        public const string BookFailed = "BookFailed";
        /// <summary>A batch that would have to be confirmed in a session that cannot ask (pwsh -NonInteractive, a scheduled task, no UI).</summary>
        public const string BatchConfirmationRequired = "BatchConfirmationRequired";
        /// <summary>Register-BookBatchSchedule with a name that is not letters, digits, '-' or '_'.</summary>
        public const string ScheduleNameInvalid = "ScheduleNameInvalid";
        /// <summary>Register-BookBatchSchedule of a name the workspace has a schedule of already (without -Force).</summary>
        public const string ScheduleAlreadyExists = "ScheduleAlreadyExists";
        /// <summary>Get- or Unregister-BookBatchSchedule of a name the workspace has no schedule of.</summary>
        public const string ScheduleNotFound = "ScheduleNotFound";
        /// <summary>Register-BookBatchSchedule found no PowerShell to run the schedule with.</summary>
        public const string SchedulePowerShellNotFound = "SchedulePowerShellNotFound";
        /// <summary>The scheduler's program (schtasks.exe, systemctl, crontab) refused the schedule, or could not be run.</summary>
        public const string ScheduleRegistrationFailed = "ScheduleRegistrationFailed";
        /// <summary>A schedule's record in schedules/ cannot be read.</summary>
        public const string ScheduleRecordCorrupt = "ScheduleRecordCorrupt";
        /// <summary>Register-BookBatchSchedule of a path (workspace, book list, PowerShell) with a line break or another control character.</summary>
        public const string SchedulePathInvalid = "SchedulePathInvalid";
        /// <summary>Start-BookBatchDashboard on an address other machines can reach, without -AccessToken.</summary>
        public const string DashboardAccessTokenRequired = "DashboardAccessTokenRequired";
        /// <summary>Start-BookBatchDashboard with a -ListenAddress that is not an IP address.</summary>
        public const string DashboardAddressInvalid = "DashboardAddressInvalid";
        /// <summary>Start-BookBatchDashboard could not listen on the port (in use, or not allowed).</summary>
        public const string DashboardPortUnavailable = "DashboardPortUnavailable";
        /// <summary>Stop-BookBatchDashboard -Port of no running dashboard of the session.</summary>
        public const string DashboardNotFound = "DashboardNotFound";
        /// <summary>Export-BookBatchReport of results piped in from more than one batch.</summary>
        public const string BatchReportAmbiguous = "BatchReportAmbiguous";
        /// <summary>The PostgreSQL store named in bookbatch.json did not answer, or has no such database.</summary>
        public const string BookBatchStoreUnreachable = "BookBatchStoreUnreachable";
        /// <summary>The PostgreSQL server refused the login (wrong or missing password, unknown user).</summary>
        public const string BookBatchStoreLoginFailed = "BookBatchStoreLoginFailed";
        /// <summary>The PostgreSQL database has no BookBatch schema yet (Update-BookBatchStore creates it).</summary>
        public const string BookBatchStoreSchemaMissing = "BookBatchStoreSchemaMissing";
        /// <summary>The store's database is encoded in a character set that cannot hold every title (Update-BookBatchStore).</summary>
        public const string BookBatchStoreEncoding = "BookBatchStoreEncoding";
        /// <summary>The PostgreSQL database has a schema newer than the module's: refused, not changed.</summary>
        public const string BookBatchStoreSchemaNewer = "BookBatchStoreSchemaNewer";
        /// <summary>A store command in a workspace whose bookbatch.json names no PostgreSQL store.</summary>
        public const string BookBatchStoreNotPostgres = "BookBatchStoreNotPostgres";
        /// <summary>The PostgreSQL database has an older BookBatch schema than the module's (Update-BookBatchStore brings it up to date).</summary>
        public const string BookBatchStoreSchemaOlder = "BookBatchStoreSchemaOlder";
        /// <summary>A ledger was to be moved into a PostgreSQL store that already holds books (-Force replaces them).</summary>
        public const string BookBatchStoreNotEmpty = "BookBatchStoreNotEmpty";
        /// <summary>Import-BookBatchStore in a workspace without database.json: there is no ledger to move.</summary>
        public const string BookDatabaseNotFound = "BookDatabaseNotFound";
        /// <summary>Export-BookBatchStore to a file that exists, without -Force: nothing was written.</summary>
        public const string BookBatchStoreExportFileExists = "BookBatchStoreExportFileExists";
        /// <summary>A store command that replaces data needs a confirmation the session cannot ask for (-Confirm:$false goes ahead).</summary>
        public const string BookBatchStoreConfirmationRequired = "BookBatchStoreConfirmationRequired";
        /// <summary>
        /// A command that works on books, in a workspace whose bookbatch.json names a PostgreSQL store: batches and book
        /// changes do not run on that store yet, and never on the files behind its back.
        /// </summary>
        public const string BookBatchStoreNotSupported = "BookBatchStoreNotSupported";
    }
}
