BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    # --- The batch workspace of the batch specs (the same in Invoke-BookBatch, Get-BatchSummary and Get-BookRun) ---

    $stageNames = @('search', 'transcribe', 'process', 'tts', 'render', 'upload', 'shorts')

    # The stage of every test pipeline: a script stage, so that it runs alike on Windows and Linux. It uses plain .NET
    # calls only, so it runs in the stage's own runspace under Windows PowerShell 5.1 and PowerShell 7 alike.
    $testStageScript = @'
param($Title, $Author, $Stage, $Attempt, $Privacy, $RunFolder, $OutputsPath, $Workspace)
# Records its run in stage-runs.log (stage, title, author, privacy, attempt, tab-separated); takes the seconds
# written in hold-<stage>; fails with exit 1 when fail-<stage> or fail-<stage>-<letters and digits of the title>
# exists; as the upload stage, reports the video's and the short's URLs in its outputs file.
$utf8 = [System.Text.UTF8Encoding]::new($false)
function Add-Line([string] $Name, [string] $Line) {
    # Books run side by side: append under an exclusive lock, and wait for it.
    $path = [System.IO.Path]::Combine($Workspace, $Name)
    $bytes = $utf8.GetBytes($Line + "`n")
    for ($try = 0; $try -lt 1000; $try++) {
        try {
            $stream = [System.IO.FileStream]::new($path, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
            try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
            return
        }
        catch [System.IO.IOException] { [System.Threading.Thread]::Sleep(10) }
    }
    throw "cannot write $path"
}
$started = [DateTime]::UtcNow.Ticks
$slug = $Title -replace '[^A-Za-z0-9]', ''
Add-Line 'stage-runs.log' ("$Stage`t$Title`t$Author`t$Privacy`t$Attempt")
"$Stage ran for $Title"
$hold = [System.IO.Path]::Combine($Workspace, "hold-$Stage")
if ([System.IO.File]::Exists($hold)) {
    $seconds = [double]::Parse([System.IO.File]::ReadAllText($hold).Trim(), [System.Globalization.CultureInfo]::InvariantCulture)
    $until = [DateTime]::UtcNow.AddSeconds($seconds)
    # Short sleeps: a stopped batch (Ctrl+C, a time-out) stops the script between two of them.
    while ([DateTime]::UtcNow -lt $until) { [System.Threading.Thread]::Sleep(50) }
}
Add-Line 'intervals.log' ("$Stage`t$Title`t$started`t" + [DateTime]::UtcNow.Ticks)
if ([System.IO.File]::Exists([System.IO.Path]::Combine($Workspace, "fail-$Stage")) -or
    [System.IO.File]::Exists([System.IO.Path]::Combine($Workspace, "fail-$Stage-$slug"))) {
    "$Stage fails on purpose"
    exit 1
}
if ($Stage -eq 'upload') {
    $outputs = '{"youtube_url": "https://youtube.example/watch?v=' + $slug + '", "short_url": "https://youtube.example/shorts/' + $slug + '"}'
    [System.IO.File]::WriteAllText($OutputsPath, $outputs, $utf8)
}
exit 0
'@

    function New-StageWorkspace {
        # A workspace whose bookbatch.json runs the test stage for each of the seven stages, with no pause between books.
        # -StageSettings adds JSON members to a stage: @{ render = '"concurrency": 1' }.
        param(
            [double] $StageTimeoutSeconds = 60,
            [int] $Retries = 0,
            [hashtable] $StageSettings = @{}
        )
        $workspace = New-TestWorkspace
        Write-TestFile -Path (Join-Path (Join-Path $workspace 'stages') 'test-stage.ps1') -Text $testStageScript
        $invariant = [System.Globalization.CultureInfo]::InvariantCulture
        $stages = foreach ($name in $stageNames) {
            $stage = '{"name": "' + $name + '", "script": "stages/test-stage.ps1", "timeoutSeconds": ' + $StageTimeoutSeconds.ToString($invariant) +
                ', "retries": ' + $Retries + ', "retryDelaySeconds": 0.1'
            if ($StageSettings.ContainsKey($name)) { $stage += ', ' + $StageSettings[$name] }
            $stage + '}'
        }
        Write-TestFile -Path (Join-Path $workspace 'bookbatch.json') -Text ('{"privacy": "unlisted", "delaySeconds": 0, "stages": [' + ($stages -join ', ') + ']}')
        return $workspace
    }

    function Get-StageRun {
        # Every run of the test stage so far, in order: Stage, Title, Author, Privacy, Attempt.
        param([Parameter(Mandatory = $true)] [string] $Workspace)
        $log = Join-Path $Workspace 'stage-runs.log'
        if (-not (Test-Path -LiteralPath $log)) { return }
        foreach ($line in [System.IO.File]::ReadAllLines($log)) {
            if ($line.Length -eq 0) { continue }
            $parts = $line.Split("`t")
            [pscustomobject]@{ Stage = $parts[0]; Title = $parts[1]; Author = $parts[2]; Privacy = $parts[3]; Attempt = [int] $parts[4] }
        }
    }

    function Get-StageRunCount {
        # How many times a stage ran, for one title or for all.
        param(
            [Parameter(Mandatory = $true)] [string] $Workspace,
            [Parameter(Mandatory = $true)] [string] $Stage,
            [string] $Title
        )
        try {
            return @(Get-StageRun -Workspace $Workspace | Where-Object { $_.Stage -eq $Stage -and (-not $Title -or $_.Title -eq $Title) }).Count
        }
        catch [System.IO.IOException] {
            # A stage is appending to the log right now (only when a test looks while a batch runs).
            return 0
        }
    }

    function Get-RunSummary {
        # A run folder's summary.json as 'stage=state' pairs in the file's order; a null state is empty.
        param(
            [Parameter(Mandatory = $true)] [string] $Workspace,
            [Parameter(Mandatory = $true)] [string] $RunFolder
        )
        $path = Join-Path (Join-Path (Join-Path $Workspace 'runs') $RunFolder) 'summary.json'
        $summary = [System.IO.File]::ReadAllText($path) | ConvertFrom-Json
        return (@($summary.PSObject.Properties | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value }) -join ',')
    }

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

    $seedFolder = '2024-12-01_09-00-00_Deep-Work'

    function Write-SeedRun {
        # A book of the old system: processing, with a run folder that has a summary.json and nothing else.
        param([Parameter(Mandatory = $true)] [string] $Workspace, [string] $Summary)
        $database = '{"books": [{"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null, ' +
            '"short_url": null, "date_added": "2024-12-01T09:00:00", "run_folder": "' + $seedFolder + '"}]}'
        Write-TestFile -Path (Get-DatabasePath $Workspace) -Text $database
        if (-not $Summary) {
            $Summary = '{"search": "success", "transcribe": "success", "process": "success", "tts": "failed", "render": null, "upload": null, "shorts": null}'
        }
        Write-TestFile -Path (Join-Path (Join-Path (Join-Path $Workspace 'runs') $seedFolder) 'summary.json') -Text $Summary
    }
}

Describe 'Get-BookRun' {
    BeforeEach {
        $ws = New-StageWorkspace
    }

    Context 'a book that a batch worked on' {
        It 'shows the state, attempts, exit code, error and log of each stage, and the stage a resume starts at, after a failure' {
            Write-TestFile -Path (Join-Path $ws 'fail-tts') -Text ''
            $failed = @('The Alchemist | Paulo Coelho' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

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
            $null = 'The Alchemist' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore
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

        It 'gives RunSummaryCorrupt for a summary.json that cannot be read' {
            Write-SeedRun -Workspace $ws -Summary '{"search": '

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
            Write-SeedRun -Workspace $ws

            $run = Get-BookRun 'Deep Work' -Workspace $ws

            $run.RunFolder | Should -BeExactly $seedFolder
            $run.Exists | Should -BeTrue
            Get-StageState $run | Should -BeExactly 'search=Succeeded,transcribe=Succeeded,process=Succeeded,tts=Failed,render=NotRun,upload=NotRun,shorts=NotRun'
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '0,0,0,0,0,0,0'
            $run.NextStage | Should -BeExactly 'tts'
        }

        It 'is resumed there by the next batch' {
            Write-SeedRun -Workspace $ws

            $results = @('Deep Work' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            $run = Get-BookRun 'Deep Work' -Workspace $ws

            $results[0].Outcome | Should -Be 'Resumed'
            $results[0].RunFolder | Should -BeExactly $seedFolder
            (@($results[0].StagesRun) -join ',') | Should -BeExactly 'tts,render,upload,shorts'
            Get-StageRunCount -Workspace $ws -Stage 'search' | Should -Be 0
            $run.Status | Should -Be 'Done'
            $run.NextStage | Should -BeNullOrEmpty
            (@($run.Stages | ForEach-Object { $_.Attempts }) -join ',') | Should -BeExactly '0,0,0,1,1,1,1'
        }
    }
}
