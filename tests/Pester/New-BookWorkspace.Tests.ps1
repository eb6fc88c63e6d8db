BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
}

Describe 'New-BookWorkspace' {
    BeforeEach {
        # A folder that does not exist yet.
        $target = Join-Path $TestDrive ('new-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    }

    It 'creates bookbatch.json, an empty database.json, books.txt, the example stage, runs/ and batches/' {
        $folder = New-BookWorkspace -Path $target

        $folder | Should -BeOfType 'System.IO.DirectoryInfo'
        $folder.Name | Should -BeExactly (Split-Path -Path $target -Leaf)
        Test-Path -LiteralPath (Join-Path $target 'bookbatch.json') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $target 'database.json') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $target 'books.txt') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path (Join-Path $target 'stages') 'example-stage.ps1') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $target 'runs') -PathType Container | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $target 'batches') -PathType Container | Should -BeTrue
    }

    It 'writes a database equivalent to {"books": []}' {
        New-BookWorkspace -Path $target | Out-Null

        $db = Read-Database $target
        $db.PSObject.Properties['books'] | Should -Not -BeNullOrEmpty
        @($db.books).Count | Should -Be 0
        @(Get-BookStatus -Workspace $target).Count | Should -Be 0
        (Test-BookDatabase -Workspace $target).IsHealthy | Should -BeTrue
    }

    It 'writes settings with the example pipeline stages' {
        New-BookWorkspace -Path $target | Out-Null

        $settings = Get-Content -LiteralPath (Join-Path $target 'bookbatch.json') -Raw | ConvertFrom-Json
        @($settings.stages).Count | Should -BeGreaterThan 0
    }

    It 'writes a books.txt whose books Get-BookStatus reads' {
        New-BookWorkspace -Path $target | Out-Null

        $statuses = @(Get-Content -LiteralPath (Join-Path $target 'books.txt') | Get-BookStatus -Workspace $target -ErrorVariable err -ErrorAction SilentlyContinue)

        $err.Count | Should -Be 0
        $statuses.Count | Should -BeGreaterThan 0
        foreach ($status in $statuses) {
            $status.Status | Should -Be 'New'
            $status.Action | Should -Be 'Process'
        }
    }

    It 'uses the current location when no path is given' {
        $null = New-Item -ItemType Directory -Path $target
        Push-Location -LiteralPath $target
        try {
            New-BookWorkspace | Out-Null
        }
        finally {
            Pop-Location
        }

        Test-Path -LiteralPath (Join-Path $target 'bookbatch.json') -PathType Leaf | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $target 'database.json') -PathType Leaf | Should -BeTrue
    }

    It 'resolves a relative path against the current location' {
        $parent = Split-Path -Path $target -Parent
        $leaf = Split-Path -Path $target -Leaf
        Push-Location -LiteralPath $parent
        try {
            New-BookWorkspace $leaf | Out-Null
        }
        finally {
            Pop-Location
        }

        Test-Path -LiteralPath (Join-Path $target 'bookbatch.json') -PathType Leaf | Should -BeTrue
    }

    It 'creates nothing with -WhatIf' {
        New-BookWorkspace -Path $target -WhatIf | Out-Null

        Test-Path -LiteralPath (Join-Path $target 'bookbatch.json') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $target 'database.json') | Should -BeFalse
    }

    It 'gives WorkspaceAlreadyExists when run again without -Force, and changes nothing' {
        New-BookWorkspace -Path $target | Out-Null
        $settings = Join-Path $target 'bookbatch.json'
        Write-TestFile -Path $settings -Text '{"stages": []}'
        $before = Get-FileSha256 $settings

        $ids = @(Get-ErrorId { New-BookWorkspace -Path $target })

        $ids.Count | Should -Be 1
        $ids[0] | Should -BeLike 'WorkspaceAlreadyExists,*'
        Get-FileSha256 $settings | Should -Be $before
    }

    It 'with -Force rewrites the settings and keeps the content of database.json' {
        New-BookWorkspace -Path $target | Out-Null
        Add-Book 'Kept' 'Someone' -Workspace $target
        $settings = Join-Path $target 'bookbatch.json'
        Write-TestFile -Path $settings -Text '{}'
        $databaseBefore = Get-FileSha256 (Get-DatabasePath $target)

        New-BookWorkspace -Path $target -Force | Out-Null

        [System.IO.File]::ReadAllText($settings) | Should -BeLike '*"stages"*'
        Get-FileSha256 (Get-DatabasePath $target) | Should -Be $databaseBefore
        Get-Title @(Get-BookStatus -Workspace $target) | Should -BeExactly 'Kept'
    }
}
