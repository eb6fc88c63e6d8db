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

    function Write-Journal {
        # A batch journal as a batch writes it: its start, one plan line per book, a result per finished book, and its
        # end: 'done' (ran to its end), 'stopped' (Ctrl+C) or 'killed' (no end, and a last line cut short).
        param(
            [Parameter(Mandatory = $true)] [string] $Workspace,
            [Parameter(Mandatory = $true)] [string] $Id,
            [Parameter(Mandatory = $true)] [string[]] $Outcome,
            [Parameter(Mandatory = $true)] [int] $Planned,
            [Parameter(Mandatory = $true)] [ValidateSet('done', 'stopped', 'killed')] [string] $End
        )
        $lines = @()
        $lines += ('{"event": "start", "time": "2025-01-01T10:00:00+00:00", "batch": "' + $Id + '", "books": ' + $Planned + '}')
        for ($i = 1; $i -le $Planned; $i++) {
            $lines += ('{"event": "plan", "time": "2025-01-01T10:00:00+00:00", "index": ' + $i + ', "book": "Book ' + $i + '", "action": "Process"}')
        }
        for ($i = 1; $i -le $Outcome.Count; $i++) {
            $failure = 'null'
            if ($Outcome[$i - 1] -eq 'Failed') { $failure = '"stage ''tts'' failed: exit code 1"' }
            $lines += ('{"event": "result", "time": "2025-01-01T10:01:00+00:00", "index": ' + $i + ', "title": "Book ' + $i + '", "author": null, "outcome": "' +
                $Outcome[$i - 1] + '", "reason": null, "error": ' + $failure + ', "youtubeUrl": null, "shortUrl": null, "runFolder": null, "stagesRun": [], ' +
                '"started": "2025-01-01T10:00:00+00:00", "finished": "2025-01-01T10:01:00+00:00"}')
        }
        switch ($End) {
            'done' { $lines += ('{"event": "end", "time": "2025-01-01T10:02:00+00:00", "interrupted": false}') }
            'stopped' { $lines += ('{"event": "end", "time": "2025-01-01T10:02:00+00:00", "interrupted": true}') }
            'killed' { $lines += ('{"event": "result", "time": "2025-01-01T10:0') }
        }
        Write-TestFile -Path (Join-Path (Join-Path $Workspace 'batches') ($Id + '.jsonl')) -Text (($lines -join "`n") + "`n")
    }

    function Get-PercentTotal {
        # The four percentages of a summary added up exactly (as decimals, so that 33.4 + 33.3 + 33.3 is 100).
        param([Parameter(Mandatory = $true)] $Summary)
        return ([decimal] $Summary.SuccessPercent + [decimal] $Summary.ResumedPercent + [decimal] $Summary.FailedPercent + [decimal] $Summary.SkippedPercent)
    }
}

Describe 'Get-BatchSummary' {
    BeforeEach {
        $ws = New-StageWorkspace
    }

    Context 'results piped from Invoke-BookBatch' {
        It 'sums up the batch: counts, percentages that add up to exactly 100, and the failed books with their errors' {
            Add-Book 'Done' -Workspace $ws
            Complete-Book 'Done' -YouTubeUrl 'https://youtube.com/watch?v=d' -Workspace $ws
            Write-TestFile -Path (Join-Path $ws 'fail-tts-Broken') -Text ''

            $summaries = @('New One', 'Broken', 'Done' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore | Get-BatchSummary -Workspace $ws)

            $summaries.Count | Should -Be 1
            $summary = $summaries[0]
            $summary | Should -BeOfType 'BookBatch.Engine.Batches.BatchSummary'
            ('{0} books: {1} success, {2} resumed, {3} failed, {4} skipped' -f $summary.Total, $summary.Success, $summary.Resumed, $summary.Failed, $summary.Skipped) |
                Should -BeExactly '3 books: 1 success, 0 resumed, 1 failed, 1 skipped'
            $summary.SuccessPercent | Should -Be 33.4
            $summary.ResumedPercent | Should -Be 0
            $summary.FailedPercent | Should -Be 33.3
            $summary.SkippedPercent | Should -Be 33.3
            Get-PercentTotal $summary | Should -Be 100
            $summary.Interrupted | Should -BeFalse
            $summary.Planned | Should -Be 3
            $summary.BatchId | Should -Not -BeNullOrEmpty
            Test-Path -LiteralPath (Join-Path (Join-Path $ws 'batches') ($summary.BatchId + '.jsonl')) -PathType Leaf | Should -BeTrue
            @($summary.FailedBooks).Count | Should -Be 1
            @($summary.FailedBooks)[0].Title | Should -BeExactly 'Broken'
            @($summary.FailedBooks)[0].Error | Should -BeLike "*stage 'tts' failed*"
            @($summary.SuccessBooks)[0].Title | Should -BeExactly 'New One'
            @($summary.SkippedBooks)[0].Reason | Should -BeExactly 'Already completed'
            (@($summary.Results | ForEach-Object { $_.Index }) -join ',') | Should -BeExactly '1,2,3'
        }

        It 'makes an empty summary of no results' {
            $summaries = @(@() | Get-BatchSummary -Workspace $ws)

            $summaries.Count | Should -Be 1
            $summaries[0].Total | Should -Be 0
            $summaries[0].BatchId | Should -BeNullOrEmpty
            Get-PercentTotal $summaries[0] | Should -Be 0
        }
    }

    Context 'from the journals in batches/' {
        It 'summarizes the last batch without parameters and with -Last 1, and the latest ones with -Last n, newest first' {
            $first = @('One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            # Batch ids begin with the second the batch started: let the second batch start in another one.
            Start-Sleep -Milliseconds 1100
            $second = @('One', 'Two' | Invoke-BookBatch -Workspace $ws -WhatIf -InformationAction Ignore)
            $second.Count | Should -Be 0 -Because '-WhatIf runs no batch and writes no journal'
            $second = @('One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)

            $last = @(Get-BatchSummary -Workspace $ws)
            $lastOne = @(Get-BatchSummary -Last 1 -Workspace $ws)
            $lastTwo = @(Get-BatchSummary -Last 2 -Workspace $ws)
            $lastTen = @(Get-BatchSummary -Last 10 -Workspace $ws)

            $second[0].BatchId | Should -Not -Be $first[0].BatchId
            $last.Count | Should -Be 1
            $last[0].BatchId | Should -BeExactly $second[0].BatchId
            $last[0].Total | Should -Be 1
            $last[0].Skipped | Should -Be 1
            $last[0].SkippedPercent | Should -Be 100
            $lastOne.Count | Should -Be 1
            $lastOne[0].BatchId | Should -BeExactly $second[0].BatchId
            (@($lastTwo | ForEach-Object { $_.BatchId }) -join ',') | Should -BeExactly ($second[0].BatchId + ',' + $first[0].BatchId)
            $lastTwo[1].Success | Should -Be 1
            $lastTwo[1].SuccessPercent | Should -Be 100
            $lastTen.Count | Should -Be 2 -Because 'there are only two batches'
        }

        It 'reads one batch with -Id, with or without .jsonl' {
            $first = @('One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore)
            $null = 'One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore

            $byId = @(Get-BatchSummary -Id $first[0].BatchId -Workspace $ws)
            $byFileName = @(Get-BatchSummary ($first[0].BatchId + '.jsonl') -Workspace $ws)

            $byId.Count | Should -Be 1
            $byId[0].BatchId | Should -BeExactly $first[0].BatchId
            $byId[0].Success | Should -Be 1
            @($byId[0].Results)[0].YouTubeUrl | Should -BeExactly 'https://youtube.example/watch?v=One'
            $byFileName.Count | Should -Be 1
            $byFileName[0].BatchId | Should -BeExactly $first[0].BatchId
        }

        It 'reads a batch that was killed as interrupted, with the number of books it planned' {
            Write-Journal -Workspace $ws -Id '20250101-100000-aaaa' -Outcome 'Success', 'Failed' -Planned 3 -End killed

            $summary = Get-BatchSummary -Workspace $ws

            $summary.BatchId | Should -BeExactly '20250101-100000-aaaa'
            $summary.Interrupted | Should -BeTrue
            $summary.Total | Should -Be 2 -Because 'the line the killed batch was writing is not a result'
            $summary.Planned | Should -Be 3
            $summary.Success | Should -Be 1
            $summary.Failed | Should -Be 1
            $summary.SuccessPercent | Should -Be 50
            @($summary.FailedBooks)[0].Error | Should -BeExactly "stage 'tts' failed: exit code 1"
        }

        It 'says whether a batch ran to its end or was stopped' {
            Write-Journal -Workspace $ws -Id '20250101-100000-aaaa' -Outcome 'Success', 'Skipped' -Planned 2 -End done
            Write-Journal -Workspace $ws -Id '20250102-100000-bbbb' -Outcome 'Success', 'Skipped' -Planned 2 -End stopped

            $summaries = @(Get-BatchSummary -Last 2 -Workspace $ws)

            (@($summaries | ForEach-Object { '{0}:{1}' -f $_.BatchId, $_.Interrupted }) -join ', ') |
                Should -BeExactly '20250102-100000-bbbb:True, 20250101-100000-aaaa:False'
            (Get-BatchSummary -Id '20250101-100000-aaaa' -Workspace $ws).Interrupted | Should -BeFalse
        }

        It 'gives BatchNotFound for a workspace without batches and for an id without a journal' {
            $none = @(Get-BatchSummary -Workspace $ws -ErrorVariable noBatch -ErrorAction SilentlyContinue)
            Write-Journal -Workspace $ws -Id '20250101-100000-aaaa' -Outcome 'Success' -Planned 1 -End done
            $unknown = @(Get-BatchSummary -Id '20990101-000000-zzzz' -Workspace $ws -ErrorVariable noId -ErrorAction SilentlyContinue)
            $escape = @(Get-BatchSummary -Id '../../20250101-100000-aaaa' -Workspace $ws -ErrorVariable noPath -ErrorAction SilentlyContinue)

            $none.Count | Should -Be 0
            $noBatch.Count | Should -Be 1
            $noBatch[0].FullyQualifiedErrorId | Should -BeLike 'BatchNotFound,*'
            $noBatch[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $unknown.Count | Should -Be 0
            $noId.Count | Should -Be 1
            $noId[0].FullyQualifiedErrorId | Should -BeLike 'BatchNotFound,*'
            $noId[0].ToString() | Should -BeLike '*20990101-000000-zzzz*'
            $escape.Count | Should -Be 0 -Because 'an id is a name in batches/, never a path'
            $noPath.Count | Should -Be 1
            $noPath[0].FullyQualifiedErrorId | Should -BeLike 'BatchNotFound,*'
        }
    }
}
