BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    $runFolderName = '2025-10-20_08-00-00_Deep-Work'

    # A done book with a run folder, in the old system's format, and its run's summary.json.
    function New-DoneBookWithRun {
        param([Parameter(Mandatory = $true)] [string] $Workspace)
        $database = @'
{"books": [{"main_title": "Deep Work", "author_name": "Cal Newport", "status": "done",
  "youtube_url": "https://youtube.com/watch?v=dw", "short_url": null,
  "date_added": "2025-10-20T08:00:00", "run_folder": "RUN_FOLDER"}]}
'@
        Write-TestFile -Path (Get-DatabasePath $Workspace) -Text $database.Replace('RUN_FOLDER', $runFolderName)
        $summary = Join-Path (Join-Path (Join-Path $Workspace 'runs') $runFolderName) 'summary.json'
        Write-TestFile -Path $summary -Text '{"search": "success", "transcribe": "success", "process": "success", "tts": "success", "render": "success", "upload": "success", "shorts": "failed"}'
        return $summary
    }
}

Describe 'Reset-Book' {
    BeforeEach {
        $ws = New-TestWorkspace
    }

    It 'sets a done book back to Processing, so that the next batch resumes it' {
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
        Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws

        $status = Reset-Book 'Deep Work' -Workspace $ws -PassThru

        $status | Should -BeOfType 'BookBatch.Engine.Planning.BookStatus'
        $status.Status | Should -Be 'Processing'
        $status.Action | Should -Be 'Resume'
        $stored = Get-BookStatus -Workspace $ws
        $stored.Status | Should -Be 'Processing'
        $stored.Action | Should -Be 'Resume'
        (Read-Database $ws).books[0].status | Should -BeExactly 'processing'
    }

    It 'binds books piped in' {
        Add-Book 'Atomic Habits' 'James Clear' -Workspace $ws
        Add-Book 'Deep Work' 'Cal Newport' -Workspace $ws
        Get-BookStatus -Workspace $ws | Complete-Book -YouTubeUrl 'https://youtube.com/watch?v=1' -Workspace $ws

        'deep work | cal newport' | Reset-Book -Workspace $ws

        Get-Title @(Get-BookStatus -Status Processing -Workspace $ws) | Should -BeExactly 'Deep Work'
        Get-Title @(Get-BookStatus -Status Done -Workspace $ws) | Should -BeExactly 'Atomic Habits'
    }

    It 'with -FromStage marks that stage and every later one as not run, and keeps the earlier ones' {
        $summary = New-DoneBookWithRun -Workspace $ws

        $status = Reset-Book 'Deep Work' -FromStage tts -Workspace $ws -PassThru

        $status.Status | Should -Be 'Processing'
        $status.Action | Should -Be 'Resume'
        $status.RunFolder | Should -BeExactly $runFolderName
        $stages = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
        (@($stages.PSObject.Properties | ForEach-Object { $_.Name }) -join ',') | Should -BeExactly 'search,transcribe,process,tts,render,upload,shorts'
        $stages.search | Should -BeExactly 'success'
        $stages.transcribe | Should -BeExactly 'success'
        $stages.process | Should -BeExactly 'success'
        foreach ($later in 'tts', 'render', 'upload', 'shorts') {
            $stages.PSObject.Properties[$later].Value | Should -BeNullOrEmpty -Because "stage '$later' comes at or after tts"
        }
    }

    It 'accepts the stage name in any case' {
        $summary = New-DoneBookWithRun -Workspace $ws

        Reset-Book 'Deep Work' -FromStage UPLOAD -Workspace $ws

        $stages = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
        $stages.render | Should -BeExactly 'success'
        $stages.upload | Should -BeNullOrEmpty
        $stages.shorts | Should -BeNullOrEmpty
    }

    It 'gives StageNotFound for a stage the run does not have, and changes nothing' {
        $summary = New-DoneBookWithRun -Workspace $ws
        $summaryBefore = Get-FileSha256 $summary
        $databaseBefore = Get-FileSha256 (Get-DatabasePath $ws)

        Reset-Book 'Deep Work' -FromStage narrate -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'StageNotFound,*'
        Get-FileSha256 $summary | Should -Be $summaryBefore
        Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $databaseBefore
        (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
    }

    It 'gives RunFolderNotFound with -FromStage for a book that has no run folder' {
        Add-Book 'Deep Work' -Workspace $ws

        Reset-Book 'Deep Work' -FromStage tts -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'RunFolderNotFound,*'
    }

    It 'gives BookNotFound for a book that is not recorded' {
        Add-Book 'Deep Work' -Workspace $ws

        Reset-Book 'Shallow Work' -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
    }

    It 'changes nothing with -WhatIf' {
        $summary = New-DoneBookWithRun -Workspace $ws
        $summaryBefore = Get-FileSha256 $summary

        Reset-Book 'Deep Work' -FromStage tts -Workspace $ws -WhatIf

        Get-FileSha256 $summary | Should -Be $summaryBefore
        (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
    }
}

# Tab completion. xunit twin: tests/Unit/Specs/CompletionSpecTests.cs.
Describe 'Reset-Book: completion' {
    It 'completes -FromStage with the stage names of the workspace, in pipeline order' {
        . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')
        $ws = New-StageWorkspace
        $line = "Reset-Book 'One' -Workspace '$ws' -FromStage t"
        $names = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)

        ($names -join ', ') | Should -BeExactly 'transcribe, tts'
    }
}
