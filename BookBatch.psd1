@{
    RootModule           = 'BookBatch.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b0f3f0e-6a1d-4c57-9a0e-2f3c1b7d8e41'
    Author               = 'BookBatch developers'
    CompanyName          = 'BookBatch'
    Copyright            = '(c) BookBatch developers. MIT licence.'
    Description          = 'Runs a multi-stage book-summary video pipeline over a list of books, exactly once per book, resumable after any interruption.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('BookBatch.Format.ps1xml')
    TypesToProcess       = @('BookBatch.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-BookStatus'
        'Invoke-BookBatch'
        'Get-BatchSummary'
        'Get-BookRun'
        'Add-Book'
        'Complete-Book'
        'Reset-Book'
        'Remove-Book'
        'Get-BookBatchStore'
        'Update-BookBatchStore'
        'Import-BookBatchStore'
        'Export-BookBatchStore'
        'Start-BookBatchWorker'
        'Get-BookBatchWorker'
        'Suspend-BookBatchQueue'
        'Resume-BookBatchQueue'
        'Stop-BookStage'
        'Test-BookDatabase'
        'Repair-BookDatabase'
        'New-BookWorkspace'
        'Register-BookBatchSchedule'
        'Get-BookBatchSchedule'
        'Unregister-BookBatchSchedule'
        'Start-BookBatchDashboard'
        'Stop-BookBatchDashboard'
        'Export-BookBatchReport'
        'Set-BookBatchMailCredential'
        'Get-BookBatchMailCredential'
        'Remove-BookBatchMailCredential'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Batch', 'Pipeline', 'YouTube', 'Books', 'Resume')
            ReleaseNotes = 'Windows PowerShell 5.1 needs .NET Framework 4.7.2 or later (netstandard2.0 assembly).'
        }
    }
}
