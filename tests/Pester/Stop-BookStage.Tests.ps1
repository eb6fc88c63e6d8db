BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1'
    Import-Module $manifest -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    # A process that only sleeps: a stage that a killed batch left running.
    function Start-Sleeper {
        $self = Get-SelfCommand
        $arguments = (@($self.Prefix | ForEach-Object { '"' + $_ + '"' }) + @('-NoProfile', '-NonInteractive', '-Command', 'Start-Sleep -Seconds 120')) -join ' '
        $start = New-Object System.Diagnostics.ProcessStartInfo($self.FilePath, $arguments)
        $start.UseShellExecute = $false
        $start.CreateNoWindow = $true
        return [System.Diagnostics.Process]::Start($start)
    }

    # A workspace whose book 'Left Over' has an upload attempt that recorded no end and whose process still runs,
    # as a batch killed with SIGKILL leaves it on Linux and macOS.
    function New-LeftoverWorkspace {
        param([Parameter(Mandatory = $true)] [System.Diagnostics.Process] $Process)
        $workspace = New-TestWorkspace
        Write-TestFile -Path (Get-DatabasePath $workspace) -Text @'
{"books": [
  {"main_title": "Left Over", "author_name": null, "status": "processing", "youtube_url": null, "short_url": null, "date_added": "2025-10-20T08:00:00", "run_folder": "r1"}
]}
'@
        $started = $Process.StartTime.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
        $now = [DateTimeOffset]::UtcNow.ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)
        $folder = Join-Path (Join-Path $workspace 'runs') 'r1'
        Write-TestFile -Path (Join-Path $folder 'summary.json') -Text '{"render": "success", "upload": null}'
        Write-TestFile -Path (Join-Path $folder 'bookbatch-run.jsonl') -Text (
            '{"event":"run","title":"Left Over","created":"' + $now + '"}' + "`n" +
            '{"event":"attempt","stage":"upload","attempt":1,"batch":"20251020-080000-dead","started":"' + $now + '","pid":' + $Process.Id + ',"processStarted":"' + $started + '"}' + "`n")
        return $workspace
    }
}

Describe 'Stop-BookStage' {
    Context 'a stage that a killed batch left running' {
        BeforeEach {
            $sleeper = Start-Sleeper
            $ws = New-LeftoverWorkspace -Process $sleeper
            $details = Join-Path (Join-Path (Join-Path $ws 'runs') 'r1') 'bookbatch-run.jsonl'
        }

        AfterEach {
            if (-not $sleeper.HasExited) { $sleeper.Kill() }
            $sleeper.Dispose()
        }

        It 'says with -WhatIf which stage, process and batch it would end, and ends nothing' {
            $before = Get-FileSha256 $details

            $screen = Invoke-InConsole "Stop-BookStage 'Left Over' -Workspace '$ws' -WhatIf"

            $screen | Should -BeLike ('*What if: Performing the operation "End stage ''upload'' (process {0}, left running by batch 20251020-080000-dead)" on target "Left Over".*' -f $sleeper.Id)
            $sleeper.HasExited | Should -BeFalse
            Get-FileSha256 $details | Should -Be $before
        }

        It 'ends the process, records the attempt as cut off and warns that the upload may have published' {
            Stop-BookStage 'Left Over' -Workspace $ws -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue

            $sleeper.WaitForExit(5000) | Should -BeTrue
            $ended = @(Get-Content -LiteralPath $details | ForEach-Object { $_ | ConvertFrom-Json } | Where-Object { $_.event -eq 'ended' })
            $ended.Count | Should -Be 1
            $ended[0].stage | Should -BeExactly 'upload'
            $ended[0].result | Should -BeExactly 'Canceled'
            @($warnings).Count | Should -Be 1
            [string] $warnings[0] | Should -BeLike "*'Left Over': stage 'upload' was ended before it reported a URL, so it may have published*Reset-Book 'Left Over' -FromStage upload*"
        }
    }

    Context 'a book with nothing running' {
        BeforeEach {
            $ws = New-TestWorkspace
            Add-Book 'Idle Book' -Workspace $ws
        }

        It 'writes a non-terminating BookStageNotRunning error and changes nothing' {
            $before = Get-FileSha256 (Get-DatabasePath $ws)

            Stop-BookStage 'Idle Book' -Workspace $ws -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookStageNotRunning,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].ToString() | Should -BeLike "Nothing runs for 'Idle Book':*"
            Get-TerminatingError { Stop-BookStage 'Idle Book' -Workspace $ws -Confirm:$false } | Should -BeNullOrEmpty
            Get-FileSha256 (Get-DatabasePath $ws) | Should -Be $before
        }

        It 'gives BookNotFound for a book that is not recorded' {
            Stop-BookStage 'Never Added' -Workspace $ws -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'BookNotFound,*'
        }
    }

    Context 'the cmdlet' {
        It 'has help with a synopsis, a description and examples' {
            $help = Get-Help Stop-BookStage -Full
            ([string] $help.Synopsis).Trim() | Should -BeExactly 'Ends a stage process that a killed batch left running, so that its book is free again.'
            (($help.Description | ForEach-Object { $_.Text }) -join ' ') | Should -BeLike '*Stop-BookStage ends only what a dead batch left*'
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }

        It 'asks before it ends anything: ShouldProcess with a high impact' {
            $command = Get-Command Stop-BookStage
            $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
            $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
            $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        }
    }
}
