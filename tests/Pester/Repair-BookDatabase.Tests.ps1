BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    $corruptText = '{"books": [ {"main_title": "A"'

    # The same book twice: once processing, once done.
    $duplicateDatabase = @'
{"books": [
  {"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": null},
  {"main_title": "Atomic Habits", "author_name": "James Clear", "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-19T10:30:00", "run_folder": null},
  {"main_title": "deep  work", "author_name": "CAL NEWPORT", "status": "done", "youtube_url": "https://youtube.com/watch?v=dw", "short_url": null, "date_added": "2025-10-21T09:00:00", "run_folder": null}
]}
'@
}

Describe 'Repair-BookDatabase' {
    BeforeEach {
        $ws = New-TestWorkspace
        $database = Get-DatabasePath $ws
    }

    Context 'a corrupt database with a backup' {
        BeforeEach {
            # Two valid changes: the second one leaves the first one's file as database.json.bak.
            Add-Book 'One' -Workspace $ws
            Add-Book 'Two' -Workspace $ws
            Write-TestFile -Path $database -Text $corruptText
            $corruptHash = Get-FileSha256 $database
        }

        It 'restores the books of database.json.bak and keeps the damaged file as database.json.damaged-*' {
            $steps = @(Repair-BookDatabase -Workspace $ws -Confirm:$false)

            @($steps | Where-Object Action -eq 'RestoredBackup').Count | Should -Be 1
            Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'One'
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Processing'
            $damaged = @(Get-ChildItem -LiteralPath $ws -Filter 'database.json.damaged-*')
            $damaged.Count | Should -Be 1
            Get-FileSha256 $damaged[0].FullName | Should -Be $corruptHash
            Test-BookDatabase -Workspace $ws -Quiet | Should -BeTrue
        }

        It 'lets Get-BookStatus and Add-Book work again' {
            Repair-BookDatabase -Workspace $ws -Confirm:$false | Out-Null

            Add-Book 'Three' -Workspace $ws

            Get-Title @(Get-BookStatus -Workspace $ws) | Should -BeExactly 'One, Three'
        }

        It 'changes nothing with -WhatIf' {
            Repair-BookDatabase -Workspace $ws -WhatIf

            Get-FileSha256 $database | Should -Be $corruptHash
            @(Get-ChildItem -LiteralPath $ws -Filter 'database.json.damaged-*').Count | Should -Be 0
        }
    }

    Context 'a corrupt database without a backup' {
        It 'keeps the damaged file and never drops a book that it can still read' {
            Write-TestFile -Path $database -Text '{"books": [ {"main_title": "Deep Work", "author_name": "Cal Newport", "status": "done", "youtube_url": "https://youtube.com/watch?v=dw"}, {"main_title": "B"'
            $corruptHash = Get-FileSha256 $database

            $steps = @(Repair-BookDatabase -Workspace $ws -Confirm:$false)

            @($steps | Where-Object Action -eq 'SalvagedBooks').Count | Should -Be 1
            $statuses = @(Get-BookStatus -Workspace $ws)
            Get-Title $statuses | Should -BeExactly 'Deep Work'
            $statuses[0].Status | Should -Be 'Done'
            $damaged = @(Get-ChildItem -LiteralPath $ws -Filter 'database.json.damaged-*')
            $damaged.Count | Should -Be 1
            Get-FileSha256 $damaged[0].FullName | Should -Be $corruptHash
        }
    }

    Context 'a database with a duplicate entry' {
        It 'merges the entries into one, and the done one wins' {
            Write-TestFile -Path $database -Text $duplicateDatabase

            $steps = @(Repair-BookDatabase -Workspace $ws -Confirm:$false)

            @($steps | Where-Object Action -eq 'MergedDuplicates').Count | Should -Be 1
            $statuses = @(Get-BookStatus -Workspace $ws)
            $statuses.Count | Should -Be 2
            $deepWork = @($statuses | Where-Object { $_.Title -eq 'Deep Work' })
            $deepWork.Count | Should -Be 1
            $deepWork[0].Status | Should -Be 'Done'
            $deepWork[0].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=dw'
            (Test-BookDatabase -Workspace $ws).IsHealthy | Should -BeTrue
            @((Read-Database $ws).books).Count | Should -Be 2
        }
    }

    Context 'a healthy database' {
        It 'reports that nothing needs repair and leaves the file as it is' {
            Add-Book 'Deep Work' -Workspace $ws
            $before = Get-FileSha256 $database

            $steps = @(Repair-BookDatabase -Workspace $ws -Confirm:$false)

            $steps.Count | Should -Be 1
            $steps[0].Action | Should -Be 'None'
            Get-FileSha256 $database | Should -Be $before
        }
    }

    Context 'a database it cannot write' {
        It 'says a database another program holds is locked, as Add-Book does, also with -WhatIf' {
            Add-Book 'One' -Workspace $ws
            $held = [System.IO.File]::Open($database, 'Open', 'ReadWrite', 'None')
            try {
                $failure = Get-TerminatingError { Repair-BookDatabase -Workspace $ws -WhatIf }
                $failure.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseLocked,*'
                $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
                $failure.Exception.Message | Should -Match 'Close that program'
            }
            finally { $held.Dispose() }
        }

        It 'refuses a read-only damaged database and keeps no copy' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            Add-Book 'One' -Workspace $ws
            Add-Content -LiteralPath $database -Value 'garbage'
            chmod 444 $database
            $hash = Get-FileSha256 $database
            $failure = Get-TerminatingError { Repair-BookDatabase -Workspace $ws -Confirm:$false }
            $failure.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseReadOnly,*'
            $failure.Exception.Message | Should -Match 'chmod u\+w'
            Get-FileSha256 $database | Should -Be $hash
            @(Get-ChildItem -LiteralPath $ws -Filter 'database.json.damaged-*').Count | Should -Be 0
        }
    }
}
