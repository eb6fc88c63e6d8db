BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    # A book whose upload was cut off before it reported a URL: the ledger says so (review), as a batch leaves it.
    function New-BookInReview {
        param([Parameter(Mandatory = $true)] [string] $Workspace)
        $folder = '2025-10-20_08-00-00_Deep-Work'
        Write-TestFile -Path (Get-DatabasePath $Workspace) -Text (@'
{"books": [{"main_title": "Deep Work", "author_name": "Cal Newport", "status": "processing", "youtube_url": null,
  "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": "FOLDER", "review": "upload",
  "last_error": "stage 'upload' (attempt 1, batch b1) was cut off before it reported a URL"}]}
'@).Replace('FOLDER', $folder)
        $run = Join-Path (Join-Path $Workspace 'runs') $folder
        Write-TestFile -Path (Join-Path $run 'summary.json') -Text '{"search": "success", "transcribe": "success", "process": "success", "tts": "success", "render": "success", "upload": null, "shorts": null}'
        Write-TestFile -Path (Join-Path $run 'bookbatch-run.jsonl') -Text (
            '{"event":"run","title":"Deep Work","author":"Cal Newport","created":"2025-10-20T08:00:00+00:00"}' + "`n" +
            '{"event":"attempt","stage":"upload","attempt":1,"batch":"b1","started":"2025-10-20T08:10:00+00:00"}' + "`n" +
            '{"event":"ended","seq":1,"stage":"upload","attempt":1,"ended":"2025-10-20T08:11:00+00:00","result":"Canceled","error":"stopped: the batch was interrupted"}' + "`n")
    }
}

Describe 'A book in Review (its upload was cut off, and nobody knows whether it published)' {
    BeforeEach {
        $ws = New-TestWorkspace
        New-BookInReview -Workspace $ws
    }

    It 'shows Action Review in Get-BookStatus, with why' {
        $status = Get-BookStatus -Workspace $ws
        $status.Action | Should -Be 'Review'
        $status.Status | Should -Be 'Processing'
        $status.LastError | Should -BeLike "*stage 'upload'*cut off*"
        ($status | Format-Table | Out-String) | Should -BeLike '*Review*'
    }

    It 'is published by Complete-Book, after which batches skip it' {
        Complete-Book 'Deep Work' -YouTubeUrl 'https://youtube.com/watch?v=dw' -Workspace $ws
        $status = Get-BookStatus -Workspace $ws
        $status.Action | Should -Be 'Skip'
        (Read-Database $ws).books[0].review | Should -BeNullOrEmpty
    }

    It 'goes back to work with Reset-Book -FromStage upload, which says it did not publish' {
        Reset-Book 'Deep Work' -FromStage upload -Workspace $ws -Confirm:$false
        (Get-BookStatus -Workspace $ws).Action | Should -Be 'Resume'
        $lines = Get-Content (Join-Path (Join-Path (Join-Path $ws 'runs') '2025-10-20_08-00-00_Deep-Work') 'bookbatch-run.jsonl')
        $lines[-1] | Should -BeLike '*"event":"reviewed"*"stage":"upload"*'
    }
}
