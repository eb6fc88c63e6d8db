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

Describe 'Get-BookStatus' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    Context 'with no input' {
        It 'writes nothing for a workspace without a database' {
            @(Get-BookStatus -Workspace $ws).Count | Should -Be 0
            Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse
        }

        It 'writes every recorded book in database order' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
            Complete-Book 'Deep Work' 'Cal Newport' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws

            $all = @(Get-BookStatus -Workspace $ws)

            Get-Title $all | Should -BeExactly 'Atomic Habits, Deep Work'
            $all[0] | Should -BeOfType 'BookBatch.Engine.Planning.BookStatus'
            $all[0].Status | Should -Be 'Processing'
            $all[1].Status | Should -Be 'Done'
            $all[1].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=dw'
        }

        It 'works with Where-Object Status -eq processing' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
            Complete-Book 'Atomic Habits' -YouTubeUrl 'https://youtube.com/watch?v=ah' -Workspace $ws

            $processing = @(Get-BookStatus -Workspace $ws | Where-Object Status -eq processing)
            $done = @(Get-BookStatus -Workspace $ws | Where-Object Status -eq done)

            Get-Title $processing | Should -BeExactly 'Deep Work'
            Get-Title $done | Should -BeExactly 'Atomic Habits'
        }

        It 'reads a database of the old system with fields it does not know' {
            Write-TestFile -Path (Get-DatabasePath $ws) -Text $oldDatabase

            $all = @(Get-BookStatus -Workspace $ws)

            Get-Title $all | Should -BeExactly 'Atomic Habits, Deep Work'
            $all[0].Author | Should -BeExactly 'James Clear'
            $all[0].Status | Should -Be 'Done'
            $all[0].Action | Should -Be 'Skip'
            $all[0].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=ah'
            $all[0].ShortUrl | Should -BeExactly 'https://youtube.com/shorts/ah'
            $all[0].RunFolder | Should -BeExactly '2025-10-19_10-30-00_Atomic-Habits'
            $all[0].DateAdded | Should -Be (New-Object DateTime 2025, 10, 19, 10, 30, 0)
            $all[1].Status | Should -Be 'Processing'
            $all[1].Action | Should -Be 'Resume'
            $all[1].RunFolder | Should -BeNullOrEmpty
        }
    }

    Context 'with books piped in' {
        It 'gives a book that is not recorded Status New and Action Process' {
            $status = @('Deep Work | Cal Newport' | Get-BookStatus -Workspace $ws)

            $status.Count | Should -Be 1
            $status[0].Title | Should -BeExactly 'Deep Work'
            $status[0].Author | Should -BeExactly 'Cal Newport'
            $status[0].Status | Should -Be 'New'
            $status[0].Action | Should -Be 'Process'
            $status[0].InDatabase | Should -BeFalse
        }

        It 'gives a done book Action Skip and a processing book Action Resume' {
            Add-Book 'Done Book' -Workspace $ws
            Complete-Book 'Done Book' -YouTubeUrl 'https://youtube.com/watch?v=1' -Workspace $ws
            Add-Book 'Half Book' -Workspace $ws

            $statuses = @('Done Book', 'Half Book', 'New Book | Someone' | Get-BookStatus -Workspace $ws)

            Get-Title $statuses | Should -BeExactly 'Done Book, Half Book, New Book'
            $statuses[0].Status | Should -Be 'Done'
            $statuses[0].Action | Should -Be 'Skip'
            $statuses[0].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=1'
            $statuses[1].Status | Should -Be 'Processing'
            $statuses[1].Action | Should -Be 'Resume'
            $statuses[2].Status | Should -Be 'New'
            $statuses[2].Action | Should -Be 'Process'
        }

        It 'finds a book written in another case and with extra spaces' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws

            $status = @('  atomic   HABITS | james clear ' | Get-BookStatus -Workspace $ws)

            $status.Count | Should -Be 1
            $status[0].Status | Should -Be 'Processing'
            $status[0].Title | Should -BeExactly 'Atomic Habits'
            $status[0].Author | Should -BeExactly 'James Clear'
        }

        It 'reads the lines of Get-Content as books, never as paths' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
            $books = Join-Path $ws 'books.txt'
            Write-TestFile -Path $books -Text "# to do`nAtomic Habits | James Clear`n`nThe Alchemist`n"

            $statuses = @(Get-Content -LiteralPath $books | Get-BookStatus -Workspace $ws)

            Get-Title $statuses | Should -BeExactly 'Atomic Habits, The Alchemist'
            $statuses[0].Action | Should -Be 'Resume'
            $statuses[1].Action | Should -Be 'Process'
        }

        It 'binds Import-Csv rows and BookStatus objects as books' {
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
            $csv = Join-Path $ws 'books.csv'
            Write-TestFile -Path $csv -Text "Title,Author`nDeep Work,Cal Newport`nThe Alchemist,Paulo Coelho`n"

            $fromCsv = @(Import-Csv -LiteralPath $csv | Get-BookStatus -Workspace $ws)
            $fromStatus = @(Get-BookStatus -Workspace $ws | Get-BookStatus -Workspace $ws)

            Get-Title $fromCsv | Should -BeExactly 'Deep Work, The Alchemist'
            $fromCsv[0].Status | Should -Be 'Processing'
            $fromCsv[1].Status | Should -Be 'New'
            Get-Title $fromStatus | Should -BeExactly 'Deep Work'
            $fromStatus[0].Status | Should -Be 'Processing'
        }

        It 'gives BookAmbiguous for a title-only line that matches two recorded books' {
            Add-Book 'Meditations' 'Marcus Aurelius' -Workspace $ws
            Add-Book 'Meditations' 'Ryan Holiday' -Workspace $ws

            $statuses = @('Meditations', 'Meditations | Ryan Holiday' | Get-BookStatus -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookAmbiguous,*'
            $err[0].ToString() | Should -BeLike '*Marcus Aurelius*'
            $err[0].ToString() | Should -BeLike '*Ryan Holiday*'
            $statuses.Count | Should -Be 1
            $statuses[0].Author | Should -BeExactly 'Ryan Holiday'
        }

        It 'matches a title-only line to the one recorded book with that title' {
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws

            $status = @('deep work' | Get-BookStatus -Workspace $ws)

            $status.Count | Should -Be 1
            $status[0].Author | Should -BeExactly 'Cal Newport'
            $status[0].Status | Should -Be 'Processing'
        }

        It 'reports a bad line as a non-terminating InvalidBookLine error and goes on' {
            $statuses = @(' | James Clear', 'Deep Work' | Get-BookStatus -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookLine,*'
            Get-Title $statuses | Should -BeExactly 'Deep Work'
        }
    }

    Context 'filters' {
        BeforeEach {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
            Add-Book 'Digital Minimalism' 'Cal Newport' -Workspace $ws
            Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws
        }

        It 'filters by -Status' {
            Get-Title @(Get-BookStatus -Status Done -Workspace $ws) | Should -BeExactly 'Deep Work'
            Get-Title @(Get-BookStatus -Status Processing -Workspace $ws) | Should -BeExactly 'Atomic Habits, Digital Minimalism'
        }

        It 'filters by -Title with wildcards, ignoring case' {
            Get-Title @(Get-BookStatus -Title 'Atomic*' -Workspace $ws) | Should -BeExactly 'Atomic Habits'
            Get-Title @(Get-BookStatus 'd*' -Workspace $ws) | Should -BeExactly 'Deep Work, Digital Minimalism'
        }

        It 'filters by -Author with wildcards, ignoring case' {
            Get-Title @(Get-BookStatus -Author '*clear' -Workspace $ws) | Should -BeExactly 'Atomic Habits'
            Get-Title @(Get-BookStatus -Author '*NEWPORT' -Workspace $ws) | Should -BeExactly 'Deep Work, Digital Minimalism'
        }

        It 'combines filters' {
            Get-Title @(Get-BookStatus -Status Processing -Author 'Cal*' -Workspace $ws) | Should -BeExactly 'Digital Minimalism'
        }

        It 'filters books piped in too' {
            Get-Title @('Deep Work', 'Atomic Habits', 'Unknown Book' | Get-BookStatus -Status Done, New -Workspace $ws) |
                Should -BeExactly 'Deep Work, Unknown Book'
        }
    }

    Context 'choosing the workspace' {
        BeforeEach {
            $savedWorkspaceVariable = $env:BOOKBATCH_WORKSPACE
            $env:BOOKBATCH_WORKSPACE = $null
        }

        AfterEach {
            $env:BOOKBATCH_WORKSPACE = $savedWorkspaceVariable
        }

        It 'uses -Workspace, else $env:BOOKBATCH_WORKSPACE, else the current location' {
            $byEnvironment = New-TestWorkspace
            $byParameter = New-TestWorkspace
            Add-Book 'Here' -Workspace $ws
            Add-Book 'From Environment' -Workspace $byEnvironment
            Add-Book 'By Parameter' -Workspace $byParameter

            Push-Location -LiteralPath $ws
            try {
                $env:BOOKBATCH_WORKSPACE = $byEnvironment
                $parameter = Get-Title @(Get-BookStatus -Workspace $byParameter)
                $environment = Get-Title @(Get-BookStatus)
                $env:BOOKBATCH_WORKSPACE = $null
                $location = Get-Title @(Get-BookStatus)
            }
            finally {
                Pop-Location
            }

            $parameter | Should -BeExactly 'By Parameter'
            $environment | Should -BeExactly 'From Environment'
            $location | Should -BeExactly 'Here'
        }

        It 'writes to the current location when nothing else names a workspace' {
            Push-Location -LiteralPath $ws
            try {
                Add-Book 'Here'
            }
            finally {
                Pop-Location
            }

            Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeTrue
            Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Here'
        }

        It 'resolves a relative -Workspace against the current location' {
            Add-Book 'Relative' -Workspace $ws
            $parent = Split-Path -Path $ws -Parent
            $leaf = Split-Path -Path $ws -Leaf

            Push-Location -LiteralPath $parent
            try {
                $titles = Get-Title @(Get-BookStatus -Workspace $leaf)
            }
            finally {
                Pop-Location
            }

            $titles | Should -BeExactly 'Relative'
        }

        It 'stops with a terminating WorkspaceNotFound error for a missing folder' {
            $missing = Join-Path $TestDrive 'no-such-workspace'

            $byParameter = Get-TerminatingError { Get-BookStatus -Workspace $missing -ErrorAction SilentlyContinue }
            $env:BOOKBATCH_WORKSPACE = $missing
            $byEnvironment = Get-TerminatingError { Get-BookStatus -ErrorAction SilentlyContinue }

            $byParameter | Should -Not -BeNullOrEmpty
            $byParameter.FullyQualifiedErrorId | Should -BeLike 'WorkspaceNotFound,*'
            $byParameter.ToString() | Should -BeLike '*New-BookWorkspace*'
            $byEnvironment | Should -Not -BeNullOrEmpty
            $byEnvironment.FullyQualifiedErrorId | Should -BeLike 'WorkspaceNotFound,*'
            Test-Path -LiteralPath $missing | Should -BeFalse
        }
    }

    Context 'a corrupt database' {
        It 'stops with a terminating BookDatabaseCorrupt error and leaves the file byte for byte' {
            $database = Get-DatabasePath $ws
            Write-TestFile -Path $database -Text '{"books": [ {"main_title": "A"'
            $before = Get-FileSha256 $database

            $all = Get-TerminatingError { Get-BookStatus -Workspace $ws -ErrorAction SilentlyContinue }
            $piped = Get-TerminatingError { 'A' | Get-BookStatus -Workspace $ws -ErrorAction SilentlyContinue }

            $all | Should -Not -BeNullOrEmpty
            $all.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseCorrupt*'
            $all.CategoryInfo.Category | Should -Be 'InvalidData'
            $all.ToString() | Should -BeLike '*line 1*'
            $all.ToString() | Should -BeLike '*Repair-BookDatabase*'
            $piped | Should -Not -BeNullOrEmpty
            $piped.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseCorrupt*'
            Get-FileSha256 $database | Should -Be $before
        }
    }
}

Describe 'Get-BookStatus with bad input' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    It 'lists the valid statuses for -Status Bogus, not an internal type name' {
        $err = Get-TerminatingError { Get-BookStatus -Status Bogus -Workspace $ws }
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.Exception.Message | Should -BeLike '*New,Unknown,Processing,Done*'
        $err.Exception.Message | Should -Not -BeLike '*BookBatch.Engine*'
    }

    It 'warns in a folder that is not a workspace' {
        $null = Get-BookStatus -Workspace $ws -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike "*'$ws' is not a BookBatch workspace*"
    }

    It 'says that a database.json that is a folder is a folder' {
        $null = New-Item -ItemType Directory -Path (Get-DatabasePath $ws)
        $err = Get-TerminatingError { Get-BookStatus -Workspace $ws }
        $err.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseIOError,*'
        $err.Exception.Message | Should -BeLike '*database.json* is a folder, not a file*'
    }

    It 'says that a -Workspace that is a file is a file' {
        $file = Join-Path $ws 'books.txt'
        Write-TestFile -Path $file -Text "Atomic Habits`n"
        $err = Get-TerminatingError { Get-BookStatus -Workspace $file }
        $err.FullyQualifiedErrorId | Should -BeLike 'WorkspaceNotAFolder,*'
        $err.Exception.Message | Should -BeLike '*is a file, not a folder*'
    }

    It 'refuses a line with a NUL, naming the character' {
        Write-TestFile -Path (Get-DatabasePath $ws) -Text '{"books": [{"main_title": "Atomic Habits", "status": "done"}]}'
        $ids = Get-ErrorId { "Atomic`0Habits" | Get-BookStatus -Workspace $ws }
        $ids | Should -BeLike 'InvalidBookLine,*'
        @("Atomic`0Habits" | Get-BookStatus -Workspace $ws -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'warns when a piped line is dropped as a comment' {
        Write-TestFile -Path (Get-DatabasePath $ws) -Text '{"books": []}'
        $null = '#GIRLBOSS | Sophia Amoruso' | Get-BookStatus -Workspace $ws -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeLike "*'#GIRLBOSS | Sophia Amoruso' starts with '#'*comment*"
    }
}

# The operator's console (docs/DECISIONS.md): each field once. xunit twin: tests/Unit/Specs/OperatorConsoleSpecTests.cs.
Describe "Get-BookStatus: the operator's console" {
    It 'shows each field once in Format-List * and keeps the names of the old system on the object' {
        $ws = New-TestWorkspace
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
        $status = Get-BookStatus -Workspace $ws
        $text = $status | Format-List * | Out-String

        $text | Should -Not -BeLike '*main_title*'
        ([regex]::Matches($text, '(?m)^Title\s*:')).Count | Should -Be 1
        $status.main_title | Should -BeExactly 'Deep Work'
        ($status | ConvertTo-Csv | Select-Object -First 1) | Should -Not -BeLike '*main_title*'
    }

    It 'completes titles from the database' {
        $ws = New-TestWorkspace
        'Deep Work | Cal Newport', 'Dune' | Add-Book -Workspace $ws
        $line = "Get-BookStatus -Workspace '$ws' -Title D"
        $offered = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText

        ($offered -join ', ') | Should -BeExactly "'Deep Work', Dune"
    }
}
