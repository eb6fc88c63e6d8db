<#
.SYNOPSIS
    The five-minute walkthrough of the README, as one script: a new workspace, its books, their status.
.EXAMPLE
    ./examples/walkthrough.ps1 C:\BookBatch\demo
    Runs the walkthrough in C:\BookBatch\demo (created if missing).
.NOTES
    Runs in Windows PowerShell 5.1, PowerShell 7, and the bookbatch-host console host (which has no Get-Content,
    hence [IO.File]::ReadAllLines).
#>
param([string]$Workspace = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'bookbatch-demo'))
$ErrorActionPreference = 'Stop'

if (-not (Get-Module BookBatch)) { Import-Module ([IO.Path]::Combine($PSScriptRoot, '..', 'out', 'BookBatch', 'BookBatch.psd1')) }

'1. A new workspace with an example pipeline and a sample books.txt:'
New-BookWorkspace -Path $Workspace -Force | Out-Null
$books = [IO.Path]::Combine($Workspace, 'books.txt')
[IO.File]::ReadAllLines($books) | ForEach-Object { '   ' + $_ }

'2. Record the books (status processing), then look at them:'
[IO.File]::ReadAllLines($books) | Add-Book -Workspace $Workspace -ErrorAction SilentlyContinue
Get-BookStatus -Workspace $Workspace | Out-Default

'3. One of them was published by hand; record it:'
Complete-Book -Workspace $Workspace -Title 'Atomic Habits' -Author 'James Clear' -YouTubeUrl 'https://youtube.com/watch?v=example' -PassThru | Out-Default

'4. What a batch would do with each line of books.txt (Skip, Resume, Process):'
[IO.File]::ReadAllLines($books) | Get-BookStatus -Workspace $Workspace | Out-Default

'5. The database is healthy:'
Test-BookDatabase -Workspace $Workspace | Out-Default
