BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    # The same book twice: once processing, once done.
    $duplicateDatabase = @'
{"books": [
  {"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": null},
  {"main_title": "Atomic Habits", "author_name": "James Clear", "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-19T10:30:00", "run_folder": null},
  {"main_title": "deep  work", "author_name": "CAL NEWPORT", "status": "done", "youtube_url": "https://youtube.com/watch?v=dw", "short_url": null, "date_added": "2025-10-21T09:00:00", "run_folder": null}
]}
'@
}

Describe 'Test-BookDatabase' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    It 'reports a healthy database' {
        Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws

        $report = Test-BookDatabase -Workspace $ws

        $report.IsHealthy | Should -BeTrue
        $report.Exists | Should -BeTrue
        $report.Books | Should -Be 2
        @($report.Issues).Count | Should -Be 0
        Test-BookDatabase -Workspace $ws -Quiet | Should -BeTrue
    }

    It 'finds a workspace without a database healthy, and creates nothing' {
        $report = Test-BookDatabase -Workspace $ws

        $report.IsHealthy | Should -BeTrue
        $report.Exists | Should -BeFalse
        $report.Books | Should -Be 0
        Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse
    }

    It 'reports a corrupt database with an issue of Kind Corrupt, and leaves the file byte for byte' {
        $database = Get-DatabasePath $ws
        Write-TestFile -Path $database -Text '{"books": [ {"main_title": "A"'
        $before = Get-FileSha256 $database

        $report = Test-BookDatabase -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 0
        $report.IsHealthy | Should -BeFalse
        $corrupt = @($report.Issues | Where-Object Kind -eq 'Corrupt')
        $corrupt.Count | Should -Be 1
        $corrupt[0].Severity | Should -Be 'Error'
        $corrupt[0].Message | Should -BeLike '*Repair-BookDatabase*'
        Test-BookDatabase -Workspace $ws -Quiet | Should -BeFalse
        Get-FileSha256 $database | Should -Be $before
    }

    It 'reports a book recorded twice with an issue of Kind Duplicate' {
        $database = Get-DatabasePath $ws
        Write-TestFile -Path $database -Text $duplicateDatabase
        $before = Get-FileSha256 $database

        $report = Test-BookDatabase -Workspace $ws

        $report.IsHealthy | Should -BeFalse
        $report.Books | Should -Be 3
        $duplicate = @($report.Issues | Where-Object Kind -eq 'Duplicate')
        $duplicate.Count | Should -Be 1
        $duplicate[0].Severity | Should -Be 'Error'
        $duplicate[0].Book | Should -BeLike 'Deep Work*'
        Test-BookDatabase -Workspace $ws -Quiet | Should -BeFalse
        Get-FileSha256 $database | Should -Be $before
    }

    It 'warns about a processing book whose run folder is gone, and stays healthy' {
        Write-TestFile -Path (Get-DatabasePath $ws) -Text '{"books": [{"main_title": "Deep Work", "author_name": null, "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": "2025-10-20_08-00-00_Deep-Work"}]}'

        $report = Test-BookDatabase -Workspace $ws

        $report.IsHealthy | Should -BeTrue
        $missing = @($report.Issues | Where-Object Kind -eq 'MissingRunFolder')
        $missing.Count | Should -Be 1
        $missing[0].Severity | Should -Be 'Warning'
    }

    It 'stops with a terminating WorkspaceNotFound error for a missing workspace' {
        $thrown = Get-TerminatingError { Test-BookDatabase -Workspace (Join-Path $TestDrive 'no-such-workspace') -ErrorAction SilentlyContinue }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'WorkspaceNotFound,*'
    }
}
