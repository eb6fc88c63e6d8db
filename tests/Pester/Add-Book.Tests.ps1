BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
}

Describe 'Add-Book' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    Context 'book-list lines from Get-Content' {
        It 'records each book with status processing, ignoring comments and blank lines' {
            $books = Join-Path $ws 'books.txt'
            Write-TestFile -Path $books -Text ("# my list`n`nAtomic Habits | James Clear`n   `n# another comment`nThe Alchemist`n")

            Get-Content -LiteralPath $books | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 0
            $all = @(Get-BookStatus -Workspace $ws)
            Get-Title $all | Should -BeExactly 'Atomic Habits, The Alchemist'
            $all[0].Author | Should -BeExactly 'James Clear'
            $all[1].Author | Should -BeNullOrEmpty
            foreach ($status in $all) {
                $status.Status | Should -Be 'Processing'
                $status.Action | Should -Be 'Resume'
                $status.InDatabase | Should -BeTrue
            }
            $processing = @(Get-BookStatus -Workspace $ws | Where-Object Status -eq processing)
            $processing.Count | Should -Be 2
        }

        It 'writes database.json in the format of the old system' {
            $books = Join-Path $ws 'books.txt'
            Write-TestFile -Path $books -Text "Atomic Habits | James Clear`n"

            Get-Content -LiteralPath $books | Add-Book -Workspace $ws

            $db = Read-Database $ws
            @($db.books).Count | Should -Be 1
            $db.books[0].main_title | Should -BeExactly 'Atomic Habits'
            $db.books[0].author_name | Should -BeExactly 'James Clear'
            $db.books[0].status | Should -BeExactly 'processing'
            # ConvertFrom-Json in PowerShell 7 turns dates into DateTime: check the stored text itself.
            [System.IO.File]::ReadAllText((Get-DatabasePath $ws)) | Should -Match '"date_added":\s*"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"'
        }

        It 'reports a bad line as a non-terminating InvalidBookLine error and still adds the good lines' {
            $books = Join-Path $ws 'books.txt'
            Write-TestFile -Path $books -Text "Atomic Habits | James Clear`n | James Clear`nDeep Work | Cal Newport`n"

            Get-Content -LiteralPath $books | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookLine,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].ToString() | Should -BeLike '*Line 2*'
            Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Atomic Habits, Deep Work'
        }

        It 'splits a title that contains " | " on the last " | "' {
            $added = @('Sense | Sensibility | Jane Austen' | Add-Book -Workspace $ws -PassThru)

            $added.Count | Should -Be 1
            $added[0].Title | Should -BeExactly 'Sense | Sensibility'
            $added[0].Author | Should -BeExactly 'Jane Austen'
            (Read-Database $ws).books[0].main_title | Should -BeExactly 'Sense | Sensibility'
        }
    }

    Context 'objects from the pipeline' {
        It 'binds Import-Csv rows with Title and Author columns as books' {
            $csv = Join-Path $ws 'books.csv'
            Write-TestFile -Path $csv -Text "Title,Author,Year`nDeep Work,Cal Newport,2016`nThe Alchemist,,1988`n"

            Import-Csv -LiteralPath $csv | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 0
            $all = @(Get-BookStatus -Workspace $ws)
            Get-Title $all | Should -BeExactly 'Deep Work, The Alchemist'
            $all[0].Author | Should -BeExactly 'Cal Newport'
            $all[1].Author | Should -BeNullOrEmpty
        }

        It 'gives InvalidBookInput for an object without a Title' {
            [pscustomobject]@{ Name = 'Deep Work' } | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookInput,*'
            Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse
        }
    }

    Context 'errors that say what to do' {
        It 'names a CSV row with an empty title by its number and its other fields, and adds the other rows' {
            $csv = Join-Path $ws 'books.csv'
            Write-TestFile -Path $csv -Text "Title,Author`nDeep Work,Cal Newport`n,Jane Doe`n"
            Import-Csv $csv | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookInput,*'
            $err[0].Exception.Message | Should -Match "Row 2 of the input \(Title = '', Author = 'Jane Doe'\)"
            $err[0].Exception.Message | Should -Match 'Fill in the title'
            @((Read-Database $ws).books).Count | Should -Be 1
        }

        It 'refuses a read-only database.json on every OS and changes nothing' {
            Add-Book 'Deep Work' -Workspace $ws
            $database = Get-DatabasePath $ws
            Set-ItemProperty -LiteralPath $database -Name IsReadOnly -Value $true
            try {
                $before = Get-FileSha256 $database
                $failure = Get-TerminatingError { Add-Book 'Atomic Habits' -Workspace $ws -ErrorAction Stop }
                $failure.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseReadOnly,*'
                $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
                $failure.TargetObject | Should -Be $database
                $failure.Exception.Message | Should -Match 'is read-only'
                Get-FileSha256 $database | Should -Be $before
                (Get-Item -LiteralPath $database).IsReadOnly | Should -BeTrue
            }
            finally { Set-ItemProperty -LiteralPath $database -Name IsReadOnly -Value $false }
        }
    }

    Context 'parameters' {
        It 'takes -Title and -Author by position' {
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws

            $status = @(Get-BookStatus -Workspace $ws)
            $status.Count | Should -Be 1
            $status[0].Title | Should -BeExactly 'Deep Work'
            $status[0].Author | Should -BeExactly 'Cal Newport'
        }

        It 'returns the new BookStatus with -PassThru, and nothing without it' {
            $quiet = @(Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws)
            $status = Add-Book 'Deep Work' -Workspace $ws -PassThru

            $quiet.Count | Should -Be 0
            $status | Should -BeOfType 'BookBatch.Engine.Planning.BookStatus'
            $status.Title | Should -BeExactly 'Deep Work'
            $status.Status | Should -Be 'Processing'
            $status.Action | Should -Be 'Resume'
            $status.InDatabase | Should -BeTrue
            $status.DateAdded | Should -Not -BeNullOrEmpty
        }

        It 'writes nothing with -WhatIf' {
            Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws -WhatIf

            Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse
            @(Get-BookStatus -Workspace $ws).Count | Should -Be 0
        }
    }

    Context 'a book that is already recorded' {
        It 'gives BookAlreadyRecorded and leaves the database unchanged' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
            $before = Get-FileSha256 (Get-DatabasePath $ws)

            '  atomic   HABITS | james clear ' | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookAlreadyRecorded,*'
            Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
            @(Get-BookStatus -Workspace $ws).Count | Should -Be 1
        }

        It 'goes on with the other books after the duplicate' {
            Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws

            'Atomic Habits | James Clear', 'Deep Work | Cal Newport' | Add-Book -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'Atomic Habits, Deep Work'
        }
    }

    Context 'a corrupt database' {
        It 'stops with a terminating BookDatabaseCorrupt error and leaves the file byte for byte' {
            $database = Get-DatabasePath $ws
            Write-TestFile -Path $database -Text '{"books": [ {"main_title": "A"'
            $before = Get-FileSha256 $database

            $thrown = Get-TerminatingError { Add-Book 'Deep Work' -Workspace $ws -ErrorAction SilentlyContinue }
            $piped = Get-TerminatingError { 'One', 'Two' | Add-Book -Workspace $ws -ErrorAction SilentlyContinue }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseCorrupt*'
            $thrown.ToString() | Should -BeLike '*Repair-BookDatabase*'
            $piped | Should -Not -BeNullOrEmpty
            $piped.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseCorrupt*'
            Get-FileSha256 $database | Should -Be $before
        }
    }
}
