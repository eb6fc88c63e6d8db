# Register-, Get- and Unregister-BookBatchSchedule in a real pwsh, with the machine's scheduler replaced by folders
# (BOOKBATCH_SYSTEMD_DIR, BOOKBATCH_CRONTAB). Their xunit twins: tests/Unit/Schedules/ScheduleTests.cs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
}

Describe 'Register-BookBatchSchedule' {
    BeforeEach {
        $ws = Join-Path (New-TestWorkspace) "O'Brien's books"
        $null = New-BookWorkspace -Path $ws
        $units = Join-Path $TestDrive ('units-' + [guid]::NewGuid().ToString('N'))
        $crontab = Join-Path $TestDrive ('crontab-' + [guid]::NewGuid().ToString('N'))
        $env:BOOKBATCH_SYSTEMD_DIR = $units
        $env:BOOKBATCH_CRONTAB = $crontab
    }
    AfterEach {
        $env:BOOKBATCH_SYSTEMD_DIR = $null
        $env:BOOKBATCH_CRONTAB = $null
    }

    It 'shows with -WhatIf the timer it would register, and writes nothing' {
        $quoted = $ws.Replace("'", "''")
        $text = Invoke-InConsole "Register-BookBatchSchedule nightly '$quoted/books.txt' -Workspace '$quoted' -At 2:30am -DaysOfWeek Monday, Friday -Scheduler SystemdUser -PowerShellPath /usr/bin/pwsh -WhatIf"
        $text | Should -BeLike "*What if: Register the schedule 'nightly' (SystemdUser, Monday, Friday at 02:30):*"
        $text | Should -BeLike '*OnCalendar=Mon,Fri `*-`*-`* 02:30:00*'
        $text | Should -BeLike '*ExecStart="/usr/bin/pwsh" "-NonInteractive" "-NoProfile" "-File"*'
        Test-Path -LiteralPath $units | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $ws 'schedules') | Should -BeFalse
    }

    It 'passes -MailTo to the batch of each run, and refuses it in a workspace without a mail target' {
        $failure = $null
        try { Register-BookBatchSchedule nightly (Join-Path $ws 'books.txt') -Workspace $ws -At 2am -MailTo ops@example.com -Scheduler Cron -PowerShellPath /usr/bin/pwsh -ErrorAction Stop }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'MailTargetMissing,*'
        Test-Path -LiteralPath (Join-Path $ws 'schedules') | Should -BeFalse

        $path = Join-Path $ws 'bookbatch.json'
        $settings = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $settings | Add-Member -NotePropertyName notifications -NotePropertyValue @{ email = @(@{ server = 'smtp.example.com'; from = 'bookbatch@example.com'; to = 'ops@example.com' }) }
        Set-Content -LiteralPath $path -Value ($settings | ConvertTo-Json -Depth 10)
        $null = Register-BookBatchSchedule nightly (Join-Path $ws 'books.txt') -Workspace $ws -At 2am -NotifyEmail boss@example.com, "o'neil@example.com" -Scheduler Cron -PowerShellPath /usr/bin/pwsh 3>$null
        Get-Content -LiteralPath (Join-Path $ws 'schedules/nightly.ps1') -Raw | Should -BeLike "*Invoke-BookBatch -Workspace `$workspace -Confirm:`$false -MailTo 'boss@example.com', 'o''neil@example.com'*"
        (Get-BookBatchSchedule -Workspace $ws).Definition.MailTo | Should -Be @('boss@example.com', "o'neil@example.com")
        Unregister-BookBatchSchedule nightly -Workspace $ws -Confirm:$false
    }

    It 'registers a systemd timer that Get-BookBatchSchedule lists and Unregister-BookBatchSchedule removes' {
        $schedule = Register-BookBatchSchedule nightly (Join-Path $ws 'books.txt') -Workspace $ws -At '21:05' -Scheduler SystemdUser -PowerShellPath /usr/bin/pwsh 3>$null
        $schedule.Name | Should -Be 'nightly'
        Get-Content -LiteralPath (Join-Path $units 'bookbatch-nightly.timer') | Should -Contain 'OnCalendar=*-*-* 21:05:00'
        Get-Content -LiteralPath (Join-Path $units 'bookbatch-nightly.service') | Should -Contain ('WorkingDirectory=' + $ws)
        (Get-BookBatchSchedule -Workspace $ws).Name | Should -Be 'nightly'
        (Get-BookBatchSchedule -Workspace $ws | Format-Table | Out-String) | Should -BeLike '*nightly*SystemdUser*21:05*daily*'

        Get-BookBatchSchedule -Workspace $ws | Unregister-BookBatchSchedule -Workspace $ws -Confirm:$false
        @(Get-ChildItem -LiteralPath $units).Count | Should -Be 0
        @(Get-BookBatchSchedule -Workspace $ws).Count | Should -Be 0
    }

    It 'adds one crontab entry and removes only it' {
        Write-TestFile -Path $crontab -Text "MAILTO=ops`n"
        $null = Register-BookBatchSchedule weekly (Join-Path $ws 'books.txt') -Workspace $ws -At 6:45 -DaysOfWeek Sunday -Scheduler Cron -PowerShellPath /usr/bin/pwsh
        $lines = Get-Content -LiteralPath $crontab
        $lines[1] | Should -Be '# bookbatch-schedule: weekly'
        $lines[2] | Should -BeLike "45 6 * * 0 cd '*O'\''Brien'\''s books' && '/usr/bin/pwsh' '-NonInteractive' '-NoProfile' '-File' *"
        Unregister-BookBatchSchedule weekly -Workspace $ws -Confirm:$false
        Get-Content -LiteralPath $crontab | Should -Be 'MAILTO=ops'
    }

    It 'refuses a name that is not letters, digits, - or _' {
        Get-ErrorId { Register-BookBatchSchedule 'night ly' (Join-Path $ws 'books.txt') -Workspace $ws -At 1am -PowerShellPath /usr/bin/pwsh } |
            Should -Be 'ScheduleNameInvalid,BookBatch.Commands.RegisterBookBatchScheduleCommand'
        Test-Path -LiteralPath (Join-Path $ws 'schedules') | Should -BeFalse
    }
}
