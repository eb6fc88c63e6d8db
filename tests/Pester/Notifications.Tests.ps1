# The notifications of a batch's end (bookbatch.json's "notifications"), as an operator sees them in a real pwsh.
# Their xunit twins: tests/Unit/Notifications/NotificationTests.cs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')

    # Adds a "notifications" section to the workspace's bookbatch.json.
    function Set-Notifications {
        param([Parameter(Mandatory = $true)] [string] $Workspace, [Parameter(Mandatory = $true)] [hashtable] $Section)
        $path = Join-Path $Workspace 'bookbatch.json'
        $settings = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $settings | Add-Member -NotePropertyName notifications -NotePropertyValue $Section
        Write-TestFile -Path $path -Text ($settings | ConvertTo-Json -Depth 10)
    }

    # A TCP port nothing listens on: a webhook there refuses the connection.
    function Get-ClosedPort {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = $probe.LocalEndpoint.Port
        $probe.Stop()
        return $port
    }
}

Describe 'Notifications of a batch''s end' {
    It 'runs a command with the summary as JSON on its input, and the batch''s journal records it' {
        $ws = New-StageWorkspace
        $sink = Join-Path $ws 'notified.json'
        $self = Get-SelfCommand
        Set-Notifications -Workspace $ws -Section @{ commands = @(@{
            name = 'mail'; command = $self.FilePath
            arguments = @($self.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', "`$input | Set-Content -LiteralPath '$($sink.Replace("'", "''"))'")
        }) }

        $result = 'Deep Work' | Invoke-BookBatch -Workspace $ws

        $summary = Get-Content -LiteralPath $sink -Raw | ConvertFrom-Json
        $summary.batch | Should -Be $result.BatchId
        $summary.status | Should -Be 'success'
        $summary.success | Should -Be 1
        $line = Get-Content (Join-Path $ws "batches/$($result.BatchId).jsonl") | ConvertFrom-Json | Where-Object event -eq 'notification'
        $line.target | Should -Be 'mail'
        $line.result | Should -Be 'Sent'
    }

    It 'warns of a webhook that refuses, names only its host, and the batch is not affected' {
        $ws = New-StageWorkspace
        $port = Get-ClosedPort
        Set-Notifications -Workspace $ws -Section @{ webhooks = @(@{ name = 'team'; format = 'slack'; url = "http://127.0.0.1:$port/services/T0KEN-s3cret" }) }

        $result = 'Deep Work' | Invoke-BookBatch -Workspace $ws -WarningVariable warnings 3>$null

        $result.Outcome | Should -Be 'Success'
        @($warnings).Count | Should -Be 1
        [string] $warnings[0] | Should -BeLike "Notification 'team' (slack, http://127.0.0.1:$port/…) was not sent:*"
        foreach ($file in Get-ChildItem -LiteralPath $ws -Recurse -File | Where-Object Name -ne 'bookbatch.json') {
            Get-Content -LiteralPath $file.FullName -Raw | Should -Not -BeLike '*T0KEN-s3cret*'
        }
    }

    It 'refuses an unknown key of the section before any book starts' {
        $ws = New-StageWorkspace
        Set-Notifications -Workspace $ws -Section @{ webhooks = @(@{ url = 'https://example.invalid/x'; secret = 'x' }) }
        $failure = Get-TerminatingError { 'Deep Work' | Invoke-BookBatch -Workspace $ws }
        $failure.FullyQualifiedErrorId | Should -BeLike 'BookBatchSettingsInvalid,*'
        $failure.ToString() | Should -BeLike '*"notifications.webhooks`[0`].secret" is not a setting*'
        @(Get-StageRun -Workspace $ws).Count | Should -Be 0
    }

    It 'warns of a mail whose server cannot be reached, within its time-out, and the batch is not affected' {
        $ws = New-StageWorkspace
        $port = Get-ClosedPort
        Set-Notifications -Workspace $ws -Section @{ email = @(@{
            name = 'ops-mail'; server = '127.0.0.1'; port = $port; security = 'none'; from = 'bookbatch@example.com'; to = @('ops@example.com'); timeoutSeconds = 3
        }) }

        $result = 'Deep Work' | Invoke-BookBatch -Workspace $ws -MailTo night@example.com -WarningVariable warnings 3>$null

        $result.Outcome | Should -Be 'Success'
        @($warnings).Count | Should -Be 1
        [string] $warnings[0] | Should -BeLike "Notification 'ops-mail' (email, smtp://127.0.0.1:$port) was not sent:*"
        $line = Get-Content (Join-Path $ws "batches/$($result.BatchId).jsonl") | ConvertFrom-Json | Where-Object event -eq 'notification'
        ($line.target, $line.format, $line.result) | Should -Be @('ops-mail', 'email', 'Failed')
        $line.milliseconds | Should -BeLessThan 10000
    }

    It 'refuses -MailTo in a workspace without a mail target, and an address that is none, before any book starts' {
        $ws = New-StageWorkspace
        $failure = Get-TerminatingError { 'Deep Work' | Invoke-BookBatch -Workspace $ws -MailTo ops@example.com }
        $failure.FullyQualifiedErrorId | Should -BeLike 'MailTargetMissing,*'
        Set-Notifications -Workspace $ws -Section @{ email = @(@{ server = 'smtp.example.com'; from = 'bookbatch@example.com'; to = 'ops@example.com' }) }
        $failure = Get-TerminatingError { 'Deep Work' | Invoke-BookBatch -Workspace $ws -MailTo "ops@example.com`r`nBcc: x@example.com" }
        $failure.FullyQualifiedErrorId | Should -BeLike 'MailRecipientInvalid,*'
        @(Get-StageRun -Workspace $ws).Count | Should -Be 0
    }

    It 'refuses plain SMTP to a server that is not on this machine' {
        $ws = New-StageWorkspace
        Set-Notifications -Workspace $ws -Section @{ email = @(@{ server = 'smtp.example.com'; security = 'none'; from = 'bookbatch@example.com'; to = 'ops@example.com' }) }
        $failure = Get-TerminatingError { 'Deep Work' | Invoke-BookBatch -Workspace $ws }
        $failure.FullyQualifiedErrorId | Should -BeLike 'BookBatchSettingsInvalid,*'
        $failure.ToString() | Should -BeLike '*"notifications.email`[0`].security"*only to a server on this machine*'
    }
}
