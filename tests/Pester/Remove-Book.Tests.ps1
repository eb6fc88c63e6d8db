BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
}

Describe 'Remove-Book' {
    BeforeEach {
        $ws = New-TestWorkspace
        $runFolder = Join-Path (Join-Path $ws 'runs') 'r1'
        $null = New-Item -ItemType Directory -Path $runFolder -Force
        Write-TestFile -Path (Join-Path $runFolder 'summary.json') -Text '{"search": "success", "transcribe": null}'
        Write-TestFile -Path (Get-DatabasePath $ws) -Text @'
{"books": [
  {"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": "r1"},
  {"main_title": "Atomic Habits", "author_name": "James Clear", "status": "done", "youtube_url": "https://youtube.com/watch?v=ah", "short_url": null, "date_added": "2025-10-19T10:30:00", "run_folder": null}
]}
'@
    }

    It 'removes the book from the database and keeps its run folder on disk' {
        Remove-Book 'Deep Work' 'Cal Newport' -Workspace $ws -Confirm:$false

        Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Atomic Habits'
        @((Read-Database $ws).books).Count | Should -Be 1
        Test-Path -LiteralPath $runFolder -PathType Container | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $runFolder 'summary.json') -PathType Leaf | Should -BeTrue
    }

    It 'removes books piped in, found as Get-BookStatus finds them' {
        '  DEEP work | cal NEWPORT ' | Remove-Book -Workspace $ws -Confirm:$false

        Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Atomic Habits'
    }

    It 'removes BookStatus objects piped from Get-BookStatus' {
        Get-BookStatus -Status Done -Workspace $ws | Remove-Book -Workspace $ws -Confirm:$false

        Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Deep Work'
    }

    It 'returns the status the book had with -PassThru' {
        $removed = Remove-Book 'Atomic Habits' -Workspace $ws -Confirm:$false -PassThru

        $removed | Should -BeOfType 'BookBatch.Engine.Planning.BookStatus'
        $removed.Title | Should -BeExactly 'Atomic Habits'
        $removed.Status | Should -Be 'Done'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-FileSha256 (Get-DatabasePath $ws)

        Remove-Book 'Deep Work' -Workspace $ws -WhatIf

        Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
        @(Get-BookStatus -Workspace $ws).Count | Should -Be 2
    }

    It 'gives BookNotFound for a book that is not recorded, and changes nothing' {
        $before = Get-FileSha256 (Get-DatabasePath $ws)

        Remove-Book 'Shallow Work' -Workspace $ws -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
        Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
    }
}
