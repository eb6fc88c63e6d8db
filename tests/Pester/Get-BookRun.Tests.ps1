BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')

    # --- Helpers of this spec ---

    function Get-StageState {
        # The stages of a BookRun as 'name=state' pairs, in order.
        param([Parameter(Mandatory = $true)] $Run)
        return (@($Run.Stages | ForEach-Object { '{0}={1}' -f $_.Name, $_.State }) -join ',')
    }

    function Get-Stage {
        param([Parameter(Mandatory = $true)] $Run, [Parameter(Mandatory = $true)] [string] $Name)
        return @($Run.Stages | Where-Object { $_.Name -eq $Name })[0]
    }

    $oldFolder = '2024-12-01_09-00-00_Deep-Work'

    function Write-OldRun {
        # A book of the old system: processing, with a run folder that has a summary.json and nothing else.
        param([Parameter(Mandatory = $true)] [string] $Workspace, [string] $Summary)
        $database = '{"books": [{"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null, ' +
            '"short_url": null, "date_added": "2024-12-01T09:00:00", "run_folder": "' + $oldFolder + '"}]}'
        Write-TestFile -Path (Get-DatabasePath $Workspace) -Text $database
        if (-not $Summary) {
            $Summary = '{"search": "success", "transcribe": "success", "process": "success", "tts": "failed", "render": null, "upload": null, "shorts": null}'
        }
        Write-TestFile -Path (Join-Path (Join-Path (Join-Path $Workspace 'runs') $oldFolder) 'summary.json') -Text $Summary
    }
}

Describe 'Get-BookRun' {
    BeforeEach {
        $ws = New-StageWorkspace
    }

    Context 'a book that a batch worked on' {
        It 'shows the state, attempts, exit code, error and log of each stage, and the stage a resume starts at, after a failure' {
            Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
            $failed = @('The Alchemist | Paulo Coelho' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue)

            $runs = @(Get-BookRun 'the alchemist' 'PAULO COELHO' -Workspace $ws)

            $runs.Count | Should -Be 1
            $run = $runs[0]
            $run | Should -BeOfType 'BookBatch.Engine.Runs.BookRun'
            $run.Title | Should -BeExactly 'The Alchemist'
            $run.Author | Should -BeExactly 'Paulo Coelho'
            $run.Status | Should -Be 'Processing'
            $run.RunFolder | Should -BeExactly $failed[0].RunFolder
            $run.Exists | Should -BeTrue
            [System.IO.Path]::GetFullPath($run.Path) | Should -Be ([System.IO.Path]::GetFullPath((Join-Path (Join-Path $ws 'runs') $failed[0].RunFolder)))
            Get-StageState $run | Should -BeExactly 'search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Failed,render=NotRun,upload=NotRun,shorts=NotRun'
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '1,1,1,1,0,0,0'
            $run.NextStage | Should -BeExactly 'tts'

            $tts = Get-Stage $run 'tts'
            $tts.ExitCode | Should -Be 1
            $tts.LastError | Should -BeLike '*exit code 1*'
            $tts.Duration | Should -Not -BeNullOrEmpty
            Test-Path -LiteralPath $tts.LogPath -PathType Leaf | Should -BeTrue
            [System.IO.File]::ReadAllText($tts.LogPath) | Should -BeLike '*tts fails on purpose*'
            $search = Get-Stage $run 'search'
            $search.ExitCode | Should -Be 0
            $search.LastError | Should -BeNullOrEmpty
            Test-Path -LiteralPath $search.LogPath -PathType Leaf | Should -BeTrue
            (Get-Stage $run 'render').LogPath | Should -BeNullOrEmpty
        }

        It 'shows every stage succeeded and no next stage once the book is resumed and done, with what the upload reported' {
            Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
            $null = 'The Alchemist' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath (Join-Path $ws 'fail-tts')
            $null = 'The Alchemist' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore

            $run = Get-BookRun 'The Alchemist' -Workspace $ws

            $run.Status | Should -Be 'Done'
            $run.NextStage | Should -BeNullOrEmpty
            Get-StageState $run | Should -BeExactly 'search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Succeeded,render=Succeeded,upload=Succeeded,shorts=Succeeded'
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '1,1,1,2,1,1,1'
            (Get-Stage $run 'tts').LastError | Should -BeNullOrEmpty
            (Get-Stage $run 'upload').Outputs['youtube_url'] | Should -BeExactly 'https://youtube.example/watch?v=TheAlchemist'
        }

        It 'takes books from the pipeline: book-list lines, Get-BookStatus and the results of Invoke-BookBatch' {
            $results = @('Deep Work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            Add-Book 'No Folder Yet' -Workspace $ws

            $fromResult = @($results | Get-BookRun -Workspace $ws)
            $fromLine = @('deep work' | Get-BookRun -Workspace $ws)
            $fromStatus = @(Get-BookStatus -Workspace $ws | Get-BookRun -Workspace $ws)
            $all = @(Get-BookRun -Workspace $ws)

            $fromResult.Count | Should -Be 1
            $fromResult[0].RunFolder | Should -BeExactly $results[0].RunFolder
            $fromLine.Count | Should -Be 1
            $fromLine[0].RunFolder | Should -BeExactly $results[0].RunFolder
            (@($fromStatus | ForEach-Object { $_.Title }) -join ', ') | Should -BeExactly 'Deep Work, No Folder Yet'
            $fromStatus[1].RunFolder | Should -BeNullOrEmpty
            $fromStatus[1].Exists | Should -BeFalse
            @($fromStatus[1].Stages).Count | Should -Be 0
            $fromStatus[1].NextStage | Should -BeExactly 'search' -Because 'a new run folder starts at the first stage'
            (@($all | ForEach-Object { $_.Title }) -join ', ') | Should -BeExactly 'Deep Work' -Because 'without input, only the books with a run folder are shown'
        }
    }

    Context 'books that cannot be shown' {
        It 'gives BookNotFound for a book that is not recorded and still shows the others' {
            Add-Book 'Deep Work' -Workspace $ws

            $runs = @('Deep Work', 'Nobody Wrote This' | Get-BookRun -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue)
            $named = @(Get-BookRun 'Nobody Wrote This' -Workspace $ws -ErrorVariable errNamed -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            [string] $err[0].TargetObject | Should -BeExactly 'Nobody Wrote This'
            (@($runs | ForEach-Object { $_.Title }) -join ', ') | Should -BeExactly 'Deep Work'
            $named.Count | Should -Be 0
            $errNamed.Count | Should -Be 1
            $errNamed[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
        }

        It 'gives BookAmbiguous for a title that two recorded books share, and finds the book with its author' {
            Add-Book 'Meditations' 'Marcus Aurelius' -Workspace $ws
            Add-Book 'Meditations' 'Ryan Holiday' -Workspace $ws

            $ambiguous = @(Get-BookRun 'Meditations' -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue)
            $named = @(Get-BookRun 'Meditations' 'Ryan Holiday' -Workspace $ws)

            $ambiguous.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookAmbiguous,*'
            $named.Count | Should -Be 1
            $named[0].Author | Should -BeExactly 'Ryan Holiday'
        }

        It 'warns when a piped line is dropped as a comment, and shows the other books' {
            Add-Book 'Deep Work' -Workspace $ws

            $runs = @('#GIRLBOSS | Sophia Amoruso', 'Deep Work' | Get-BookRun -Workspace $ws -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable err -ErrorAction SilentlyContinue)

            "$warnings" | Should -BeLike "*'#GIRLBOSS | Sophia Amoruso' starts with '#'*comment*"
            $err.Count | Should -Be 0
            (@($runs | ForEach-Object { $_.Title }) -join ', ') | Should -BeExactly 'Deep Work'
        }

        It 'gives RunSummaryCorrupt for a summary.json that cannot be read' {
            Write-OldRun -Workspace $ws -Summary '{"search": '

            $runs = @(Get-BookRun -Workspace $ws -ErrorVariable err -ErrorAction SilentlyContinue)

            $runs.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'RunSummaryCorrupt,*'
        }

        It 'stops with a terminating BookDatabaseCorrupt error for a damaged database' {
            Write-TestFile -Path (Get-DatabasePath $ws) -Text '{"books": [ {"main_title": "A"'

            $thrown = Get-TerminatingError { Get-BookRun -Workspace $ws -ErrorAction SilentlyContinue }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BookDatabaseCorrupt*'
        }
    }

    Context 'a run folder of the old system' {
        It 'shows the states of its summary.json, with no attempts, and where a resume starts' {
            Write-OldRun -Workspace $ws

            $run = Get-BookRun 'Deep Work' -Workspace $ws

            $run.RunFolder | Should -BeExactly $oldFolder
            $run.Exists | Should -BeTrue
            Get-StageState $run | Should -BeExactly 'search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Failed,render=NotRun,upload=NotRun,shorts=NotRun'
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '0,0,0,0,0,0,0'
            $run.NextStage | Should -BeExactly 'tts'
        }

        It 'is resumed there by the next batch' {
            Write-OldRun -Workspace $ws

            $results = @('Deep Work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            $run = Get-BookRun 'Deep Work' -Workspace $ws

            $results[0].Outcome | Should -Be 'Resumed'
            $results[0].RunFolder | Should -BeExactly $oldFolder
            (@($results[0].StagesRun) -join ',') | Should -BeExactly 'tts,render,upload,shorts'
            Get-StageRunCount -Workspace $ws -Stage 'search' | Should -Be 0
            $run.Status | Should -Be 'Done'
            $run.NextStage | Should -BeNullOrEmpty
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '0,0,0,1,1,1,1'
        }
    }
}

Describe 'Get-BookRun of a failed book' {
    BeforeEach {
        $ws = New-StageWorkspace
        Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
        $null = 'Broken' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue
    }

    It 'shows the failed stage, its error with the stage''s last words, and its log in the default view' {
        $run = Get-BookRun 'Broken' -Workspace $ws
        $run.FailedStage | Should -BeExactly 'tts'
        $run.Error | Should -BeExactly 'exit code 1: tts fails on purpose'
        $run.LogPath | Should -BeLike '*logs?tts.log'
        $view = $run | Out-String -Width 250
        $view | Should -Match '(?m)^FailedStage\s+: tts\s*$'
        $view | Should -Match '(?m)^Error\s+: exit code 1: tts fails on purpose\s*$'
        $view | Should -Match '(?m)^Log\s+: .*tts\.log\s*$'
    }

    It 'writes the tail of the failed stage''s log with -Log' {
        $lines = @(Get-BookRun 'Broken' -Workspace $ws -Log -Tail 2)
        $lines.Count | Should -Be 2
        $lines[0] | Should -BeExactly 'tts fails on purpose'
        $lines[1] | Should -BeLike '*finished with exit code 1'
    }
}
