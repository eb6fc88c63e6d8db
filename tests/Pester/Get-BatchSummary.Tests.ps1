BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')

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

            $summaries = @('New One', 'Broken', 'Done' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore -ErrorAction SilentlyContinue | Get-BatchSummary -Workspace $ws)

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

# xunit twins: tests/Unit/Specs/OperatorConsoleSpecTests.cs and CompletionSpecTests.cs.
Describe "Get-BatchSummary: the operator's console" {
    It 'lists results by book and outcome in Format-List *, and completes batch ids' {
        $ws = New-StageWorkspace
        $null = 'One' | Invoke-BookBatch -Workspace $ws -InformationAction Ignore
        $text = Get-BatchSummary -Workspace $ws | Format-List * | Out-String -Width 200
        $id = (Get-BatchSummary -Workspace $ws).BatchId
        $line = "Get-BatchSummary -Workspace '$ws' -Id "
        $ids = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)

        $text | Should -BeLike '*Results*: {One: Success}*'
        $ids | Should -Be @($id)
    }
}
