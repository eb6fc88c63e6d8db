<#
.SYNOPSIS
    The five-minute walkthrough of the README, as one script: a new workspace, a batch that fails at a stage,
    the batch that resumes it, the batch that skips it, and what was recorded.
.EXAMPLE
    ./examples/walkthrough.ps1 C:\BookBatch\demo
    Runs the walkthrough in C:\BookBatch\demo (created if missing; its database is kept if it exists).
.EXAMPLE
    dotnet pwsh -NoProfile -File examples/walkthrough.ps1 ./demo
    The same with the pwsh of the project's tool manifest (after 'dotnet tool restore' and a build): what CI runs.
.NOTES
    Runs in Windows PowerShell 5.1 and PowerShell 7. It runs unattended, so its batches say -Confirm:$false (at a
    console, leave it out and answer the batch's one question).
#>
param([string]$Workspace = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'bookbatch-demo'))
$ErrorActionPreference = 'Stop'

if (-not (Get-Module BookBatch)) { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BookBatch', 'BookBatch.psd1')) }

'== 1. A new workspace: an example pipeline of seven script stages and a sample books.txt'
New-BookWorkspace -Path $Workspace -Force | Out-Null
$books = Join-Path $Workspace 'books.txt'
Get-Content -LiteralPath $books | ForEach-Object { '   ' + $_ }

'== 2. What a batch would do with each book'
Get-Content -LiteralPath $books | Get-BookStatus -Workspace $Workspace | Out-Default

'== 3. A batch in which the tts stage fails (fail-at.txt names it): every book stops there'
Set-Content -LiteralPath (Join-Path $Workspace 'fail-at.txt') -Value 'tts'
# A failed book is an error (BookFailed) as well as a result; this script stops at errors, so it collects them instead.
Get-Content -LiteralPath $books | Invoke-BookBatch -Workspace $Workspace -DelaySeconds 0 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed | Out-Default
'   {0} book(s) failed: {1}' -f $failed.Count, (($failed | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] } | Select-Object -Unique) -join ', ')

'== 4. The problem is fixed: the next batch resumes each book at tts; earlier stages do not run again'
Remove-Item -LiteralPath (Join-Path $Workspace 'fail-at.txt')
Get-Content -LiteralPath $books | Invoke-BookBatch -Workspace $Workspace -DelaySeconds 0 -Confirm:$false | Out-Default

'== 5. Run it again: everything is published, so everything is skipped'
Get-Content -LiteralPath $books | Invoke-BookBatch -Workspace $Workspace -DelaySeconds 0 -Confirm:$false | Get-BatchSummary | Out-Default

'== 6. One book, stage by stage'
Get-BookRun -Workspace $Workspace -Title 'Deep Work' | Out-Default

'== 7. The database'
Get-BookStatus -Workspace $Workspace | Out-Default
Test-BookDatabase -Workspace $Workspace | Out-Default

'== 8. The live dashboard of the workspace, and a report of the batch that resumed the books'
$dashboard = Start-BookBatchDashboard -Workspace $Workspace
'   dashboard: ' + $dashboard.Url + '  (open it in a browser: it follows every batch of the workspace as it runs)'
'   it answers: HTTP ' + (Invoke-WebRequest -Uri $dashboard.Url -UseBasicParsing).StatusCode
$resumed = Get-BatchSummary -Workspace $Workspace -Last 2 | Select-Object -Last 1
$report = Export-BookBatchReport -Workspace $Workspace -Id $resumed.BatchId -Path (Join-Path $Workspace 'report.html')
'   report of batch ' + $resumed.BatchId + ': ' + $report.FullName + ' (one file: open it anywhere, mail it)'
$dashboard | Stop-BookBatchDashboard
