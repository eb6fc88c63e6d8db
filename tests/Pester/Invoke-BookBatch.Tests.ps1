BeforeAll {
    $modulePath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1')).ProviderPath
    Import-Module $modulePath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')

    # --- Helpers of this spec ---

    function Get-PlanText {
        # The text of the plan table that Invoke-BookBatch wrote to the information stream (as Write-Host does).
        param([object[]] $Information)
        $lines = foreach ($record in @($Information)) {
            if ($null -eq $record) { continue }
            $data = $record.MessageData
            if ($null -ne $data -and $data.PSObject.Properties['Message']) { [string] $data.Message } else { [string] $data }
        }
        return (@($lines) -join "`n")
    }

    function Get-MostAtOnce {
        # The most intervals (objects with Start and End ticks) that overlap at any moment.
        param([object[]] $Intervals)
        $events = foreach ($interval in @($Intervals)) {
            [pscustomobject]@{ At = $interval.Start; Step = 1 }
            [pscustomobject]@{ At = $interval.End; Step = -1 }
        }
        $now = 0
        $most = 0
        foreach ($change in @($events | Sort-Object -Property At, Step)) {
            $now += $change.Step
            if ($now -gt $most) { $most = $now }
        }
        return $most
    }

    function Get-StageInterval {
        # When each run of the test stage started and ended, from intervals.log.
        param([Parameter(Mandatory = $true)] [string] $Workspace)
        foreach ($line in [System.IO.File]::ReadAllLines((Join-Path $Workspace 'intervals.log'))) {
            if ($line.Length -eq 0) { continue }
            $parts = $line.Split("`t")
            [pscustomobject]@{ Stage = $parts[0]; Title = $parts[1]; Start = [long] $parts[2]; End = [long] $parts[3] }
        }
    }

    $allStages = $stageNames -join ','
}

Describe 'Invoke-BookBatch' {
    BeforeEach {
        $ws = New-StageWorkspace
    }

    Context 'one book at a time' {
        It 'runs every stage once for a new book and records it done with its URL' {
            $results = @('Atomic Habits | James Clear' | Invoke-BookBatch -Workspace $ws -Privacy Private -InformationAction Ignore)

            $results.Count | Should -Be 1
            $result = $results[0]
            $result | Should -BeOfType 'BookBatch.Engine.Batches.BookBatchResult'
            $result.Outcome | Should -Be 'Success'
            $result.Title | Should -BeExactly 'Atomic Habits'
            $result.Author | Should -BeExactly 'James Clear'
            $result.YouTubeUrl | Should -BeExactly 'https://youtube.example/watch?v=AtomicHabits'
            $result.ShortUrl | Should -BeExactly 'https://youtube.example/shorts/AtomicHabits'
            (@($result.StagesRun) -join ',') | Should -BeExactly $allStages
            $result.RunFolder | Should -Match '^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_Atomic-Habits$'

            $runs = @(Get-StageRun -Workspace $ws)
            (@($runs | ForEach-Object { $_.Stage }) -join ',') | Should -BeExactly $allStages -Because 'each stage runs once, in pipeline order'
            foreach ($run in $runs) {
                $run.Title | Should -BeExactly 'Atomic Habits'
                $run.Author | Should -BeExactly 'James Clear'
                $run.Privacy | Should -BeExactly 'private'
                $run.Attempt | Should -Be 1
            }
            Get-RunSummary -Workspace $ws -RunFolder $result.RunFolder |
                Should -BeExactly 'search=success,transcribe=success,process=success,tts=success,render=success,upload=success,shorts=success'
            $log = Join-Path (Join-Path (Join-Path (Join-Path $ws 'runs') $result.RunFolder) 'logs') 'tts.log'
            [System.IO.File]::ReadAllText($log) | Should -BeLike '*tts ran for Atomic Habits*'

            $status = @(Get-BookStatus -Workspace $ws)
            $status.Count | Should -Be 1
            $status[0].Status | Should -Be 'Done'
            $status[0].YouTubeUrl | Should -BeExactly $result.YouTubeUrl
            $status[0].ShortUrl | Should -BeExactly $result.ShortUrl
            $status[0].RunFolder | Should -BeExactly $result.RunFolder
            (Read-Database $ws).books[0].status | Should -BeExactly 'done'

            $journal = Join-Path (Join-Path $ws 'batches') ($result.BatchId + '.jsonl')
            Test-Path -LiteralPath $journal -PathType Leaf | Should -BeTrue
        }

        It 'skips a done book with its URL and runs no stage' {
            Add-Book 'Deep Work' -Workspace $ws
            Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws

            $results = @('deep work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

            $results.Count | Should -Be 1
            $results[0].Outcome | Should -Be 'Skipped'
            $results[0].Reason | Should -BeExactly 'Already completed'
            $results[0].YouTubeUrl | Should -BeExactly 'https://youtube.com/watch?v=dw'
            @($results[0].StagesRun).Count | Should -Be 0
            @(Get-StageRun -Workspace $ws).Count | Should -Be 0
        }

        It 'fails a book at the stage that fails, then resumes it there without running the earlier stages again' {
            Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''

            $failed = @('The Alchemist' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue)

            $failed.Count | Should -Be 1
            $failed[0].Outcome | Should -Be 'Failed'
            $failed[0].Error | Should -BeLike "*stage 'tts' failed*exit code 1*"
            (@($failed[0].StagesRun) -join ',') | Should -BeExactly 'search,transcribe,process,tts'
            Get-RunSummary -Workspace $ws -RunFolder $failed[0].RunFolder |
                Should -BeExactly 'search=success,transcribe=success,process=success,tts=failed,render=,upload=,shorts='
            $status = Get-BookStatus -Workspace $ws
            $status.Status | Should -Be 'Processing'
            $status.Action | Should -Be 'Resume'
            $status.LastError | Should -BeLike '*exit code 1*'

            Remove-Item -LiteralPath (Join-Path $ws 'fail-tts')
            $resumed = @('The Alchemist' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

            $resumed.Count | Should -Be 1
            $resumed[0].Outcome | Should -Be 'Resumed'
            $resumed[0].RunFolder | Should -BeExactly $failed[0].RunFolder
            (@($resumed[0].StagesRun) -join ',') | Should -BeExactly 'tts,render,upload,shorts'
            $resumed[0].YouTubeUrl | Should -BeExactly 'https://youtube.example/watch?v=TheAlchemist'
            foreach ($stage in 'search', 'transcribe', 'process', 'render', 'upload', 'shorts') {
                Get-StageRunCount -Workspace $ws -Stage $stage | Should -Be 1 -Because "stage '$stage' ran once in the two batches"
            }
            Get-StageRunCount -Workspace $ws -Stage 'tts' | Should -Be 2
            @(Get-StageRun -Workspace $ws | Where-Object { $_.Stage -eq 'tts' })[1].Attempt | Should -Be 2
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
        }

        It 'gives each book of a list its own action: process, skip or resume' {
            Add-Book 'Done' -Workspace $ws
            Complete-Book 'Done' -YouTubeUrl 'https://youtube.com/watch?v=d' -Workspace $ws
            Write-TestFile -Path (Join-Path $ws 'fail-render') -Text ''
            $null = 'Half' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue
            Remove-Item -LiteralPath (Join-Path $ws 'fail-render')
            $list = Join-Path $ws 'books.txt'
            Write-TestFile -Path $list -Text "# three kinds of book`r`nNew | Someone`r`n`r`nDone`r`n   `r`nHalf`r`n"

            $results = @(Invoke-BookBatch -Path $list -Workspace $ws -InformationAction Ignore -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 0 -Because 'comments and blank lines are not books'
            (@($results | ForEach-Object { '{0}:{1}:{2}' -f $_.Index, $_.Title, $_.Outcome }) -join ', ') |
                Should -BeExactly '1:New:Success, 2:Done:Skipped, 3:Half:Resumed'
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'Half' | Should -Be 1
            Get-StageRunCount -Workspace $ws -Stage 'render' -Title 'Half' | Should -Be 2
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'Done' | Should -Be 0
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'New' | Should -Be 1
        }

        It 'resolves a relative -Path against the current location' {
            Write-TestFile -Path (Join-Path $ws 'books.txt') -Text "Relative Book`n"

            Push-Location -LiteralPath $ws
            try {
                $results = @(Invoke-BookBatch -Path 'books.txt' -Workspace $ws -InformationAction Ignore)
            }
            finally {
                Pop-Location
            }

            $results.Count | Should -Be 1
            $results[0].Title | Should -BeExactly 'Relative Book'
            $results[0].Outcome | Should -Be 'Success'
        }

        It 'processes the books piped from Get-BookStatus -Status Processing' {
            Add-Book 'Queued' -Workspace $ws
            Add-Book 'Published' -Workspace $ws
            Complete-Book 'Published' -YouTubeUrl 'https://youtube.com/watch?v=p' -Workspace $ws

            $results = @(Get-BookStatus -Status Processing -Workspace $ws | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

            $results.Count | Should -Be 1
            $results[0].Title | Should -BeExactly 'Queued'
            $results[0].Outcome | Should -Be 'Resumed'
            $results[0].Reason | Should -BeLike '*no run folder*'
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'Published' | Should -Be 0
            (@(Get-StageRun -Workspace $ws | ForEach-Object { $_.Stage }) -join ',') | Should -BeExactly $allStages
        }
    }

    Context '-Force' {
        It 'processes a done book again in a new run folder (alias -NoSkip)' {
            $first = @('Deep Work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            $skipped = @('Deep Work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            $forced = @('Deep Work' | Invoke-BookBatch -Workspace $ws -Force -InformationAction Ignore)
            $noSkip = @('Deep Work' | Invoke-BookBatch -Workspace $ws -NoSkip -InformationAction Ignore)

            $first[0].Outcome | Should -Be 'Success'
            $skipped[0].Outcome | Should -Be 'Skipped'
            $forced[0].Outcome | Should -Be 'Success'
            (@($forced[0].StagesRun) -join ',') | Should -BeExactly $allStages
            $forced[0].RunFolder | Should -Not -BeExactly $first[0].RunFolder
            $noSkip[0].Outcome | Should -Be 'Success'
            $noSkip[0].RunFolder | Should -Not -BeExactly $forced[0].RunFolder
            Get-StageRunCount -Workspace $ws -Stage 'upload' | Should -Be 3
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
            (Get-BookStatus -Workspace $ws).RunFolder | Should -BeExactly $noSkip[0].RunFolder
        }
    }

    Context 'the plan and -WhatIf' {
        It 'shows the plan and runs nothing with -WhatIf: no stage, no database change, no journal' {
            Add-Book 'Done' -Workspace $ws
            Complete-Book 'Done' -YouTubeUrl 'https://youtube.com/watch?v=d' -Workspace $ws
            $databaseBefore = Get-FileSha256 (Get-DatabasePath $ws)

            $output = @('Done', 'New Book' | Invoke-BookBatch -Workspace $ws -WhatIf -InformationAction Ignore -InformationVariable plan)

            $output.Count | Should -Be 0
            @(Get-StageRun -Workspace $ws).Count | Should -Be 0
            Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $databaseBefore
            @(Get-ChildItem -LiteralPath $ws -Recurse -Filter '*.jsonl' -File).Count | Should -Be 0
            Test-Path -LiteralPath (Join-Path $ws 'runs') | Should -BeFalse
            $text = Get-PlanText $plan
            $text | Should -BeLike '*Batch plan: 2 book(s): 1 to process, 0 to resume, 1 to skip*'
            $text | Should -Match '1\s+Done\s+Done\s+Skip\s+Already completed'
            $text | Should -Match '2\s+New Book\s+New\s+Process'
        }

        It 'plans the rows of Import-Csv' {
            $csv = Join-Path $ws 'books.csv'
            Write-TestFile -Path $csv -Text "Title,Author,Year`nDeep Work,Cal Newport,2016`nThe Alchemist,Paulo Coelho,1988`n"

            $output = @(Import-Csv -LiteralPath $csv | Invoke-BookBatch -Workspace $ws -WhatIf -InformationAction Ignore -InformationVariable plan)

            $output.Count | Should -Be 0
            @(Get-StageRun -Workspace $ws).Count | Should -Be 0
            $text = Get-PlanText $plan
            $text | Should -BeLike '*2 book(s): 2 to process*'
            $text | Should -Match '1\s+Deep Work \| Cal Newport\s+New\s+Process'
            $text | Should -Match '2\s+The Alchemist \| Paulo Coelho\s+New\s+Process'
        }

        It 'supports ShouldProcess with a Medium impact, so that it asks only when told to' {
            $command = Get-Command Invoke-BookBatch
            $attribute = @($command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false))[0]

            $attribute.SupportsShouldProcess | Should -BeTrue
            $attribute.ConfirmImpact | Should -Be 'Medium'
            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
            $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
            $command.Parameters['Force'].Aliases | Should -Contain 'NoSkip'
        }
    }

    Context 'input' {
        It 'reports a bad line from Get-Content as a non-terminating InvalidBookLine error and runs the good lines' {
            $list = Join-Path $ws 'books.txt'
            Write-TestFile -Path $list -Text "Good One`n | Nobody`nGood Two | Author`n"

            $results = @(Get-Content -LiteralPath $list | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookLine,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].ToString() | Should -BeLike '*Line 2*'
            (@($results | ForEach-Object { '{0}:{1}' -f $_.Title, $_.Outcome }) -join ', ') | Should -BeExactly 'Good One:Success, Good Two:Success'
        }

        It 'reports a bad line of a -Path list with its line number' {
            $list = Join-Path $ws 'books.txt'
            Write-TestFile -Path $list -Text "# list`nGood One`n | Nobody`n"

            $results = @(Invoke-BookBatch -Path $list -Workspace $ws -InformationAction Ignore -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookLine,*'
            $err[0].ToString() | Should -BeLike '*Line 3*'
            (@($results | ForEach-Object { $_.Title }) -join ', ') | Should -BeExactly 'Good One'
        }

        It 'gives BookListNotFound for a -Path that names no file and still reads the other lists' {
            $list = Join-Path $ws 'books.txt'
            Write-TestFile -Path $list -Text "Found Book`n"
            $missing = Join-Path $ws 'no-such-list.txt'

            $results = @(Invoke-BookBatch -Path $missing, $list -Workspace $ws -InformationAction Ignore -ErrorVariable err -ErrorAction SilentlyContinue)

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookListNotFound,*'
            (@($results | ForEach-Object { '{0}:{1}' -f $_.Title, $_.Outcome }) -join ', ') | Should -BeExactly 'Found Book:Success'
        }

        It 'stops with a terminating BookListMissing error when no books are given' {
            $thrown = Get-TerminatingError { Invoke-BookBatch -Workspace $ws -ErrorAction SilentlyContinue }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BookListMissing,*'
            $thrown.ToString() | Should -BeLike '*-Path*'
            Test-Path -LiteralPath (Join-Path $ws 'batches') | Should -BeFalse
        }

        It 'treats a title as data: no code runs, no path leaves runs/' {
            $title = '$(New-Item pwned); ../../escape'

            Push-Location -LiteralPath $ws
            try {
                $results = @($title | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
                $here = (Get-Location).ProviderPath
            }
            finally {
                Pop-Location
            }

            $results.Count | Should -Be 1
            $results[0].Outcome | Should -Be 'Success'
            $results[0].Title | Should -BeExactly $title
            $results[0].RunFolder | Should -Match '^[0-9_-]+_[A-Za-z0-9-]+$'
            $runs = [System.IO.Path]::GetFullPath((Join-Path $ws 'runs'))
            $folder = [System.IO.Path]::GetFullPath((Join-Path $runs $results[0].RunFolder))
            Test-Path -LiteralPath $folder -PathType Container | Should -BeTrue
            [System.IO.Path]::GetDirectoryName($folder) | Should -Be $runs
            foreach ($place in $ws, $here, $folder, (Get-Location).ProviderPath) {
                Test-Path -LiteralPath (Join-Path $place 'pwned') | Should -BeFalse -Because "the title must not run as code (in $place)"
            }
            Test-Path -LiteralPath ([System.IO.Path]::GetFullPath([System.IO.Path]::Combine($ws, '..', '..', 'escape'))) | Should -BeFalse
            # Each stage got the title whole, exactly as written.
            foreach ($run in @(Get-StageRun -Workspace $ws)) {
                $run.Title | Should -BeExactly $title
            }
            @(Get-StageRun -Workspace $ws).Count | Should -Be 7
        }
    }

    Context 'bookbatch.json' {
        It 'refuses <Problem> with a terminating BookBatchSettingsInvalid error before any work' -TestCases @(
            @{ Problem = 'a negative time-out'; Settings = '{"stages": [{"name": "search", "script": "stages/test-stage.ps1", "timeoutSeconds": -1}]}'; Key = 'stages[0].timeoutSeconds' }
            @{ Problem = 'a script that does not exist'; Settings = '{"stages": [{"name": "search", "script": "stages/missing.ps1"}]}'; Key = 'stages[0].script' }
            @{ Problem = 'text that is not JSON'; Settings = '{"stages": [ {"name": '; Key = 'not valid JSON' }
            @{ Problem = 'no stages'; Settings = '{"privacy": "unlisted"}'; Key = 'stages' }
        ) {
            param($Problem, $Settings, $Key)
            Write-TestFile -Path (Join-Path $ws 'bookbatch.json') -Text $Settings

            $thrown = Get-TerminatingError { 'One' | Invoke-BookBatch -Workspace $ws -ErrorAction SilentlyContinue }

            $thrown | Should -Not -BeNullOrEmpty
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BookBatchSettingsInvalid,*'
            $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
            $thrown.ToString().Contains('bookbatch.json') | Should -BeTrue -Because 'the error names the file'
            $thrown.ToString().Contains($Key) | Should -BeTrue -Because "the error says what is wrong: $($thrown.ToString())"
            @(Get-StageRun -Workspace $ws).Count | Should -Be 0
            Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $ws 'batches') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $ws 'runs') | Should -BeFalse
        }
    }

    Context 'retries and time-outs' {
        It 'retries a failed stage up to its retries, then fails the book there' {
            $ws = New-StageWorkspace -Retries 2
            Write-TestFile -Path (Join-Path $ws 'fail-process') -Text ''

            $results = @('Flaky' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue)

            $results[0].Outcome | Should -Be 'Failed'
            $results[0].Error | Should -BeLike "*stage 'process' failed*"
            (@(Get-StageRun -Workspace $ws | Where-Object { $_.Stage -eq 'process' } | ForEach-Object { $_.Attempt }) -join ',') | Should -BeExactly '1,2,3'
            Get-StageRunCount -Workspace $ws -Stage 'tts' | Should -Be 0
        }

        It 'stops a stage at its time-out and fails the book' {
            $ws = New-StageWorkspace -StageTimeoutSeconds 3
            Write-TestFile -Path (Join-Path $ws 'hold-transcribe') -Text '60'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()

            $results = @('Slow Book' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue)

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 40
            $results[0].Outcome | Should -Be 'Failed'
            $results[0].Error | Should -BeLike '*timed out after 3 s*'
            Get-StageRunCount -Workspace $ws -Stage 'process' | Should -Be 0
            (Get-RunSummary -Workspace $ws -RunFolder $results[0].RunFolder) | Should -BeLike '*transcribe=failed*'
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Processing'
        }

        It 'stops the book at -TimeoutSeconds, whatever stage it is at' {
            Write-TestFile -Path (Join-Path $ws 'hold-search') -Text '60'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()

            $results = @('Slow Book' | Invoke-BookBatch -Workspace $ws -TimeoutSeconds 2 -InformationAction Ignore -ErrorAction SilentlyContinue)

            $watch.Elapsed.TotalSeconds | Should -BeLessThan 40
            $results[0].Outcome | Should -Be 'Failed'
            $results[0].Error | Should -BeLike "*the book timed out after 2 s during stage 'search'*"
            Get-StageRunCount -Workspace $ws -Stage 'transcribe' | Should -Be 0
        }
    }

    Context 'several books at once' {
        It 'works on up to -ThrottleLimit books at once, within each stage''s concurrency' {
            $ws = New-StageWorkspace -StageSettings @{ render = '"concurrency": 1' }
            Write-TestFile -Path (Join-Path $ws 'hold-render') -Text '0.4'

            $results = @('Book 1', 'Book 2', 'Book 3' | Invoke-BookBatch -Workspace $ws -ThrottleLimit 3 -InformationAction Ignore)

            (@($results | Sort-Object -Property Index | ForEach-Object { '{0}:{1}' -f $_.Title, $_.Outcome }) -join ', ') |
                Should -BeExactly 'Book 1:Success, Book 2:Success, Book 3:Success'
            foreach ($title in 'Book 1', 'Book 2', 'Book 3') {
                foreach ($stage in $stageNames) {
                    Get-StageRunCount -Workspace $ws -Stage $stage -Title $title | Should -Be 1 -Because "'$title' runs '$stage' once"
                }
            }
            $intervals = @(Get-StageInterval -Workspace $ws)
            Get-MostAtOnce @($intervals | Where-Object { $_.Stage -eq 'render' }) | Should -Be 1 -Because 'render has a concurrency of 1'
            $books = foreach ($group in @($intervals | Group-Object -Property Title)) {
                [pscustomobject]@{
                    Start = ($group.Group | Measure-Object -Property Start -Minimum).Minimum
                    End = ($group.Group | Measure-Object -Property End -Maximum).Maximum
                }
            }
            Get-MostAtOnce $books | Should -BeGreaterThan 1 -Because 'the books ran side by side'
            Get-MostAtOnce $books | Should -BeLessOrEqual 3
        }
    }

    Context 'a scheduled task' {
        BeforeEach {
            $savedWorkspaceVariable = $env:BOOKBATCH_WORKSPACE
        }

        AfterEach {
            $env:BOOKBATCH_WORKSPACE = $savedWorkspaceVariable
        }

        It 'runs with -Confirm:$false in the workspace of $env:BOOKBATCH_WORKSPACE, wherever it starts' {
            $list = Join-Path $ws 'books.txt'
            Write-TestFile -Path $list -Text "Nightly Book | Night Owl`n"
            $elsewhere = New-TestWorkspace
            $env:BOOKBATCH_WORKSPACE = $ws

            Push-Location -LiteralPath $elsewhere
            try {
                $summary = Invoke-BookBatch -Path $list -Privacy Public -Confirm:$false -InformationAction Ignore | Get-BatchSummary
            }
            finally {
                Pop-Location
            }

            $summary | Should -BeOfType 'BookBatch.Engine.Batches.BatchSummary'
            $summary.Total | Should -Be 1
            $summary.Success | Should -Be 1
            $summary.Interrupted | Should -BeFalse
            (@(Get-StageRun -Workspace $ws) | Select-Object -First 1).Privacy | Should -BeExactly 'public'
            Test-Path -LiteralPath (Get-DatabasePath $elsewhere) | Should -BeFalse
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Done'
        }
    }

    Context 'Ctrl+C' {
        It 'stops the running stage, records the other books as interrupted, keeps the journal, and the next batch resumes there' {
            Write-TestFile -Path (Join-Path $ws 'hold-tts') -Text '120'
            # A second session, as a user would run the batch in another window.
            $runspace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
            $runspace.Open()
            $batch = [PowerShell]::Create()
            $batch.Runspace = $runspace
            try {
                # Nobody can answer its question there: it says -Confirm:$false, as a scheduled task does.
                $null = $batch.AddScript('param($Module, $Workspace) Import-Module $Module; ''First'', ''Second'' | Invoke-BookBatch -Workspace $Workspace -Confirm:$false')
                $null = $batch.AddArgument($modulePath)
                $null = $batch.AddArgument($ws)
                $running = $batch.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ((Get-StageRunCount -Workspace $ws -Stage 'tts') -eq 0 -and -not $running.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 100
                }
                if ($running.IsCompleted) {
                    # Read the errors by index: enumerating a PSDataCollection waits for it to be closed.
                    $errors = for ($i = 0; $i -lt $batch.Streams.Error.Count; $i++) { $batch.Streams.Error[$i].ToString() }
                    throw ('The batch ended before it was stopped: ' + (@($errors) -join '; '))
                }
                Get-StageRunCount -Workspace $ws -Stage 'tts' | Should -Be 1 -Because 'the first book reached tts'
                Start-Sleep -Milliseconds 300

                # What Ctrl+C does to a running pipeline.
                $batch.Stop()
                $stopped = $false
                try { $null = $batch.EndInvoke($running) } catch { $stopped = $true }
                $stopped | Should -BeTrue -Because 'the batch was stopped'
            }
            finally {
                $batch.Dispose()
                $runspace.Dispose()
            }

            Get-StageRunCount -Workspace $ws -Stage 'render' | Should -Be 0
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'Second' | Should -Be 0
            $summary = Get-BatchSummary -Workspace $ws
            $summary.Interrupted | Should -BeTrue
            $summary.Total | Should -Be 2
            $summary.Skipped | Should -Be 2
            (@($summary.SkippedBooks | ForEach-Object { '{0}: {1}' -f $_.Title, $_.Reason }) -join '; ') |
                Should -BeExactly "First: interrupted during stage 'tts'; Second: interrupted"
            $folder = @(Get-ChildItem -LiteralPath (Join-Path $ws 'runs') -Directory)
            $folder.Count | Should -Be 1
            Get-RunSummary -Workspace $ws -RunFolder $folder[0].Name |
                Should -BeExactly 'search=success,transcribe=success,process=success,tts=,render=,upload=,shorts=' -Because 'the stopped stage is not done'
            (Get-BookStatus -Workspace $ws).Status | Should -Be 'Processing'
            $run = Get-BookRun 'First' -Workspace $ws
            $run.NextStage | Should -BeExactly 'tts'
            @($run.Stages | Where-Object { $_.Name -eq 'tts' })[0].State | Should -Be 'Interrupted'

            Remove-Item -LiteralPath (Join-Path $ws 'hold-tts')
            $resumed = @('First' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

            $resumed[0].Outcome | Should -Be 'Resumed'
            @($resumed[0].StagesRun)[0] | Should -BeExactly 'tts'
            Get-StageRunCount -Workspace $ws -Stage 'search' -Title 'First' | Should -Be 1
            Get-StageRunCount -Workspace $ws -Stage 'tts' -Title 'First' | Should -Be 2
        }
    }
}

Describe 'Invoke-BookBatch with bad input' {
    BeforeEach {
        $ws = New-StageWorkspace
        $settings = Join-Path $ws 'bookbatch.json'
    }

    It 'refuses a misspelt key, naming it and the nearest known one, and changes nothing' {
        Write-TestFile -Path $settings -Text '{"delaySeconds": 0, "stages": [{"name": "search", "script": "stages/test-stage.ps1", "retrys": 2}]}'
        $before = Get-WorkspaceFingerprint $ws

        $err = Get-TerminatingError { 'Atomic Habits' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore }

        $err.FullyQualifiedErrorId | Should -BeLike 'BookBatchSettingsInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -BeLike '*"stages`[0`].retrys" is not a setting; did you mean "retries"?*'
        Get-WorkspaceFingerprint $ws | Should -BeExactly $before
    }

    It 'refuses a script stage outside the workspace before any work' {
        Write-TestFile -Path $settings -Text '{"stages": [{"name": "search", "script": "../evil.ps1"}]}'
        Write-TestFile -Path (Join-Path (Split-Path $ws) 'evil.ps1') -Text 'Set-Content pwned.txt pwned'
        $before = Get-WorkspaceFingerprint $ws

        $err = Get-TerminatingError { 'Atomic Habits' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore }

        $err.FullyQualifiedErrorId | Should -BeLike 'BookBatchSettingsInvalid,*'
        $err.Exception.Message | Should -BeLike "*'../evil.ps1', which is outside the workspace*"
        Get-WorkspaceFingerprint $ws | Should -BeExactly $before
    }

    It 'records a stage''s URL only when it is http or https' {
        $stage = Join-Path (Join-Path $ws 'stages') 'test-stage.ps1'
        Write-TestFile -Path $stage -Text (([System.IO.File]::ReadAllText($stage)) -replace 'https://youtube\.example/watch\?v=', 'javascript:alert(')

        $result = 'Atomic Habits' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore

        $result.Outcome | Should -Not -Be 'Success'
        $result.YouTubeUrl | Should -BeNullOrEmpty
        $result.Reason | Should -BeLike "*youtube_url 'javascript:alert(*', which is not an http or https URL*"
        (Get-BookStatus 'Atomic Habits' -Workspace $ws).Action | Should -Be 'Review'
    }

    It 'reads a list saved as UTF-16 without a byte order mark' {
        $list = Join-Path $ws 'books.txt'
        [System.IO.File]::WriteAllBytes($list, [System.Text.UnicodeEncoding]::new($false, $false).GetBytes("Atomic Habits | James Clear`r`n"))

        $result = Invoke-BookBatch -Path $list -Workspace $ws -InformationAction Ignore

        $result.Title | Should -BeExactly 'Atomic Habits'
        $result.Author | Should -BeExactly 'James Clear'
    }

    It 'refuses a Windows-1252 line with InvalidBookLine naming the file and the line, and never starts it' {
        $list = Join-Path $ws 'books.txt'
        [System.IO.File]::WriteAllBytes($list, [byte[]](0x4F, 0x6B, 0x0A, 0x43, 0x61, 0x66, 0xE9, 0x0A))

        $results = @(Invoke-BookBatch -Path $list -Workspace $ws -InformationAction Ignore -ErrorVariable errors -ErrorAction SilentlyContinue)

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidBookLine,*'
        $errors[0].Exception.Message | Should -BeLike "Line 2 of '$list'*0xE9*UTF-8*"
        Get-Title $results | Should -BeExactly 'Ok'
        @(Get-StageRun -Workspace $ws | Where-Object Title -like 'Caf*').Count | Should -Be 0
    }

    It 'shows a status it does not know as it is and warns before processing the book' {
        Write-TestFile -Path (Get-DatabasePath $ws) -Text '{"books": [{"main_title": "Atomic Habits", "author_name": "James Clear", "status": "published"}]}'
        $before = Get-WorkspaceFingerprint $ws

        $plan = 'Atomic Habits | James Clear' | Invoke-BookBatch -Workspace $ws -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue 6>&1 | Out-String

        $plan | Should -Match "Atomic Habits \| James Clear\s+'published'\s+Process"
        "$warnings" | Should -BeLike "*has the status 'published' in database.json, which BookBatch does not know*Complete-Book*"
        Get-WorkspaceFingerprint $ws | Should -BeExactly $before
    }
}

# The operator's console. xunit twins: tests/Unit/Specs/OperatorConsoleSpecTests.cs.
Describe "Invoke-BookBatch: the operator's console" {
    BeforeEach {
        $ws = New-StageWorkspace
    }

    It 'writes a failed book as a BookFailed error beside its result, so $? and -ErrorAction Stop see it' {
        Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
        $results = @('One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorVariable failures -ErrorAction SilentlyContinue)
        $succeeded = $?

        $results.Count | Should -Be 1
        $results[0].Outcome | Should -Be 'Failed'
        $succeeded | Should -BeFalse
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'BookFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $failures[0].TargetObject | Should -BeOfType 'BookBatch.Engine.Batches.BookBatchResult'
        $failures[0].ToString() | Should -BeLike "*stage 'tts' failed*resumes at stage 'tts'*"
        { 'Two' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction Stop } | Should -Throw -ErrorId 'BookFailed*'
    }

    It 'fails at once with BatchConfirmationRequired in a session that cannot ask, and runs with -Confirm:$false' {
        $pwsh = (Get-Process -Id $PID).Path
        $arguments = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments += [Environment]::GetCommandLineArgs()[0] }
        $command = "Import-Module '$modulePath'; try { 'One' | Invoke-BookBatch -Workspace '$ws' -InformationAction Ignore } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $output = (& $pwsh @arguments -NoProfile -NonInteractive -Command $command) -join "`n"

        $output | Should -BeLike 'BatchConfirmationRequired,*'
        $output | Should -BeLike '*-Confirm:$false*'
        Test-Path -LiteralPath (Get-DatabasePath $ws) | Should -BeFalse -Because 'nothing runs or is recorded'
        Get-StageRunCount -Workspace $ws -Stage 'search' | Should -Be 0
    }

    It 'converts results and statuses readably: names, seconds, and the stages joined in CSV' {
        Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
        $result = 'One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue

        $json = $result | ConvertTo-Json | ConvertFrom-Json
        $json.Outcome | Should -BeExactly 'Failed'
        $json.DurationSeconds | Should -BeOfType [double]
        $csv = $result | ConvertTo-Csv | ConvertFrom-Csv
        $csv.StagesRun | Should -BeExactly 'search, transcribe, process, tts'
        $csv.Outcome | Should -BeExactly 'Failed'
        $status = Get-BookStatus -Workspace $ws | ConvertTo-Json | ConvertFrom-Json
        $status.Status | Should -BeExactly 'Processing'
        $status.Action | Should -BeExactly 'Resume'
    }

    It 'aligns wide titles in the plan and calls out a book that -Force publishes again' {
        Add-Book 'Done' -Workspace $ws
        Complete-Book 'Done' -YouTubeUrl 'https://youtube.com/watch?v=d' -Workspace $ws
        $null = 'Short', '三体 | 刘慈欣', 'Done' | Invoke-BookBatch -Workspace $ws -Force -WhatIf -InformationVariable plan -InformationAction Ignore
        $text = Get-PlanText $plan

        $text | Should -BeLike '*1 to publish again (-Force)*'
        $text | Should -BeLike '*published already: publishes it AGAIN (-Force)*'
        $rows = @($text -split "`n" | Where-Object { $_ -match '^\s+\d+  ' })
        $columns = @($rows | ForEach-Object {
            $before = $_.Substring(0, $_.IndexOf(' Process '))
            ($before.ToCharArray() | ForEach-Object { if ([int] $_ -ge 0x2E80) { 2 } else { 1 } } | Measure-Object -Sum).Sum
        })
        $rows.Count | Should -Be 3
        @($columns | Select-Object -Unique).Count | Should -Be 1 -Because 'a wide character takes two cells'
    }

    It 'writes the final summary to the host: percentages, the failed books and their log' {
        Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
        $null = 'One', 'Two', 'Three' | Invoke-BookBatch -Workspace $ws -InformationVariable shown -InformationAction Ignore -ErrorAction SilentlyContinue
        $summary = Get-PlanText @($shown | Where-Object { $_.Tags -contains 'BookBatchSummary' })

        $summary | Should -Match 'Failed\s+3\s+100%'
        $summary | Should -BeLike '*Failed (3):*'
        $summary | Should -BeLike '*tts fails on purpose*'
    }
}

# Progress that tells the truth. xunit twin: OperatorConsoleSpecTests.ProgressShowsTheRunningLastStageWithItsTimeAndWhatBooksWaitFor.
Describe 'Invoke-BookBatch: progress' {
    It 'draws the last stage, and again while it runs, nested under the batch, and completes every line' {
        $ws = New-StageWorkspace
        Write-TestFile -Path (Join-Path $ws 'hold-shorts') -Text '2.5'
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddScript('param($Module, $Workspace) Import-Module $Module; ''One'' | Invoke-BookBatch -Workspace $Workspace -Confirm:$false -InformationAction Ignore')
            $null = $shell.AddArgument($modulePath).AddArgument($ws)
            $null = $shell.Invoke()
            $records = @($shell.Streams.Progress)
        }
        finally { $shell.Dispose() }

        $lastStage = @($records | Where-Object { $_.ParentActivityId -eq 1 -and $_.StatusDescription -like 'Stage 7 of 7: shorts (*' } |
            ForEach-Object StatusDescription | Select-Object -Unique)
        $lastStage.Count | Should -BeGreaterOrEqual 2 -Because 'the line is drawn again while the stage runs, with its time'
        @($records | Where-Object ActivityId -eq 1)[-1].RecordType | Should -Be 'Completed'
        @($records | Where-Object ParentActivityId -eq 1)[-1].RecordType | Should -Be 'Completed'
    }
}
