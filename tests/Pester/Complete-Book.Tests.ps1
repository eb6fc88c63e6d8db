BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    # The old system's database.json, with a field and a top-level key that BookBatch does not know.
    $oldDatabase = @'
{
  "books": [
    {"main_title": "Atomic Habits", "author_name": "James Clear", "status": "done",
     "youtube_url": "https://youtube.com/watch?v=ah", "short_url": "https://youtube.com/shorts/ah",
     "date_added": "2025-10-19T10:30:00", "run_folder": "2025-10-19_10-30-00_Atomic-Habits", "channel": "main"},
    {"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing",
     "youtube_url": null, "short_url": null,
     "date_added": "2025-10-20T08:00:00", "run_folder": null, "channel": "second"}
  ],
  "version": 2
}
'@
}

Describe 'Complete-Book' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    It 'sets Status Done, YouTubeUrl and ShortUrl' {
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws

        $done = Complete-Book 'deep work' -YouTubeUrl 'https://youtube.com/watch?v=1' -ShortUrl 'https://youtube.com/shorts/2' -Workspace $ws -PassThru

        $done | Should -BeOfType 'BookBatch.Engine.Planning.BookStatus'
        $done.Status | Should -Be 'Done'
        $done.Action | Should -Be 'Skip'
        $done.YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=1'
        $done.ShortUrl | Should -BeExactly 'https://youtube.com/shorts/2'
        $stored = @(Get-BookStatus -Workspace $ws)
        $stored.Count | Should -Be 1
        $stored[0].Status | Should -Be 'Done'
        $stored[0].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=1'
        $stored[0].ShortUrl | Should -BeExactly 'https://youtube.com/shorts/2'
        $db = Read-Database $ws
        $db.books[0].status | Should -BeExactly 'done'
        $db.books[0].youtube_url | Should -BeExactly 'https://youtube.com/watch?v=1'
        $db.books[0].short_url | Should -BeExactly 'https://youtube.com/shorts/2'
    }

    It 'writes nothing without -PassThru' {
        Add-Book 'Deep Work' -Workspace $ws

        $output = @(Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=1' -Workspace $ws)

        $output.Count | Should -Be 0
        (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
    }

    It 'gives BookUrlInvalid for a URL that is not http or https, and changes nothing' {
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
        $before = Get-FileSha256 (Get-DatabasePath $ws)

        Complete-Book 'Deep Work' -YouTubeUrl 'ftp://example.com/video' -Workspace $ws -ErrorVariable ftpErr -ErrorAction SilentlyContinue
        Complete-Book 'Deep Work' -YouTubeUrl 'not a url' -Workspace $ws -ErrorVariable textErr -ErrorAction SilentlyContinue
        Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=1' -ShortUrl 'shorts/2' -Workspace $ws -ErrorVariable shortErr -ErrorAction SilentlyContinue

        foreach ($err in @($ftpErr, $textErr, $shortErr)) {
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookUrlInvalid,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
        (Get-BookStatus -Workspace $ws).Status | Should -Be 'Processing'
    }

    It 'gives BookNotFound for a book that is not recorded' {
        Add-Book 'Deep Work' -Workspace $ws

        Complete-Book 'Shallow Work' -YouTubeUrl 'https://youtube.com/watch?v=1' -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Deep Work'
    }

    It 'gives BookAmbiguous for a title-only line that matches two recorded books' {
        Add-Book 'Meditations' 'Marcus Aurelius' -Workspace $ws
        Add-Book 'Meditations' 'Ryan Holiday' -Workspace $ws

        Complete-Book 'Meditations' -YouTubeUrl 'https://youtube.com/watch?v=3' -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BookAmbiguous,*'
        @(Get-BookStatus -Status Done -Workspace $ws).Count | Should -Be 0
    }

    It 'binds BookStatus objects piped from Get-BookStatus as books' {
        $csv = Join-Path $ws 'books.csv'
        Write-TestFile -Path $csv -Text "Title,Author`nDeep Work,Cal Newport`nThe Alchemist,`n"
        Import-Csv -LiteralPath $csv | Add-Book -Workspace $ws

        Get-BookStatus -Workspace $ws | Complete-Book -YouTubeUrl 'https://youtube.com/watch?v=9' -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 0
        $all = @(Get-BookStatus -Workspace $ws)
        Get-Title $all | Should -BeExactly 'Deep Work, The Alchemist'
        foreach ($status in $all) {
            $status.Status | Should -Be 'Done'
            $status.YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=9'
        }
    }

    It 'binds book-list lines piped in' {
        Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws

        'atomic habits | JAMES CLEAR' | Complete-Book -YouTubeUrl 'https://youtube.com/watch?v=ah' -Workspace $ws

        Get-Title @(Get-BookStatus -Status Done -Workspace $ws) | Should -BeExactly 'Atomic Habits'
    }

    It 'changes nothing with -WhatIf' {
        Add-Book 'Deep Work' -Workspace $ws
        $before = Get-FileSha256 (Get-DatabasePath $ws)

        Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=1' -Workspace $ws -WhatIf

        Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
    }

    Context 'a database of the old system' {
        It 'keeps the fields and keys it does not know, and keeps the previous file as database.json.bak' {
            $database = Get-DatabasePath $ws
            Write-TestFile -Path $database -Text $oldDatabase
            @(Get-BookStatus -Workspace $ws).Count | Should -Be 2

            Complete-Book 'Deep Work' 'Cal Newport' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws

            $db = Read-Database $ws
            $db.version | Should -Be 2
            @($db.books).Count | Should -Be 2
            $db.books[0].channel | Should -BeExactly 'main'
            $db.books[0].status | Should -BeExactly 'done'
            $db.books[0].youtube_url | Should -BeExactly 'https://youtube.com/watch?v=ah'
            $db.books[1].channel | Should -BeExactly 'second'
            $db.books[1].main_title | Should -BeExactly 'Deep Work'
            $db.books[1].status | Should -BeExactly 'done'
            $db.books[1].youtube_url | Should -BeExactly 'https://youtube.com/watch?v=dw'
            $backup = Join-Path $ws 'database.json.bak'
            Test-Path -LiteralPath $backup | Should -BeTrue
            [System.IO.File]::ReadAllText($backup) | Should -BeExactly $oldDatabase
        }

        It 'keeps them through a second change too' {
            Write-TestFile -Path (Get-DatabasePath $ws) -Text $oldDatabase

            Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws
            $afterFirst = [System.IO.File]::ReadAllText((Get-DatabasePath $ws))
            Add-Book 'The Alchemist' -Workspace $ws

            $db = Read-Database $ws
            $db.version | Should -Be 2
            $db.books[0].channel | Should -BeExactly 'main'
            $db.books[1].channel | Should -BeExactly 'second'
            $db.books[2].main_title | Should -BeExactly 'The Alchemist'
            [System.IO.File]::ReadAllText((Join-Path $ws 'database.json.bak')) | Should -BeExactly $afterFirst
        }
    }
}
