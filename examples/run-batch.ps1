# The scheduled task's script (README, "Running from a scheduled task"): one unattended batch, its summary kept in a
# file, and an exit code that says whether every book went through: 0, or 1 when a book failed or a line was not a book.
# Run it as: pwsh -NoProfile -NonInteractive -File run-batch.ps1
if (-not $env:BOOKBATCH_WORKSPACE) { $env:BOOKBATCH_WORKSPACE = 'C:\BookBatch\channel' }
Import-Module BookBatch -ErrorAction Stop
Invoke-BookBatch -Path (Join-Path $env:BOOKBATCH_WORKSPACE 'books.txt') -Privacy Public -Confirm:$false -ErrorVariable batchErrors |
    Get-BatchSummary | Out-File (Join-Path $env:BOOKBATCH_WORKSPACE 'last-summary.txt')
# A failed book is an error (BookFailed) as well as a result: the task's "last run result" shows it.
if ($batchErrors) { exit 1 }
