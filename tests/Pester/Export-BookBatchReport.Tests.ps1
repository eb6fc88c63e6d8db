BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')
}

Describe 'Export-BookBatchReport' {
    It 'writes the last batch as one HTML file with a row per book, no script and titles as text' {
        $workspace = New-StageWorkspace
        $null = 'Deep Work', 'Evil <script>alert(1)</script>' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $path = Join-Path $workspace 'report.html'
        $file = Export-BookBatchReport -Workspace $workspace -Path $path
        $file.FullName | Should -Be $path
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Not -Match '<script'
        $html | Should -Match 'Evil &lt;script&gt;alert\(1\)&lt;/script&gt;'
        ([regex]::Matches($html, '<g class="row"')).Count | Should -Be 2
        ([regex]::Matches($html, '<rect class="bar ok"')).Count | Should -Be 14
    }

    It 'reports the batch of the results piped in' {
        $workspace = New-StageWorkspace
        $first = 'One' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $null = 'Two' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $path = Join-Path $workspace 'first.html'
        $null = $first | Export-BookBatchReport -Workspace $workspace -Path $path
        Get-Content -LiteralPath $path -Raw | Should -Match ([regex]::Escape($first.BatchId))
    }

    It 'writes nothing for a batch that does not exist, or with -WhatIf' {
        $workspace = New-StageWorkspace
        $null = 'One' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $path = Join-Path $workspace 'missing.html'
        Get-ErrorId { Export-BookBatchReport -Workspace $workspace -Id 20200101-000000-none -Path $path } | Should -Be 'BatchNotFound,BookBatch.Commands.ExportBookBatchReportCommand'
        Export-BookBatchReport -Workspace $workspace -Path $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'takes -Last as a count, as Get-BatchSummary does: the newest N batches in one file, newest first' {
        $workspace = New-StageWorkspace
        $first = 'One' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $second = 'Two' | Invoke-BookBatch -Workspace $workspace -Confirm:$false
        $path = Join-Path $workspace 'report.html'
        $null = Export-BookBatchReport $path -Last 1 -Workspace $workspace
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match ([regex]::Escape($second.BatchId))
        $html | Should -Not -Match ([regex]::Escape($first.BatchId))

        $null = Export-BookBatchReport $path -Last 2 -Workspace $workspace
        $html = Get-Content -LiteralPath $path -Raw
        $html.IndexOf("<h2>Batch $($second.BatchId)") | Should -BeLessThan $html.IndexOf("<h2>Batch $($first.BatchId)")
        $html.IndexOf("<h2>Batch $($first.BatchId)") | Should -BeGreaterThan 0
        (Get-Command Export-BookBatchReport).Parameters['Last'].ParameterType | Should -Be ([int])
    }
}
