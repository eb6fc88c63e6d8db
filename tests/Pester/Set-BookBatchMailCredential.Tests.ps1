# Set-, Get- and Remove-BookBatchMailCredential as an operator types them, in a real pwsh. The store is the current
# user's config folder: $env:XDG_CONFIG_HOME points it at the test drive. Their xunit twins: tests/Unit/Notifications/MailCredentialTests.cs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'BookBatch.BatchHelpers.ps1')
    $script:savedConfig = $env:XDG_CONFIG_HOME
    $script:onWindows = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows)
}

AfterAll {
    $env:XDG_CONFIG_HOME = $script:savedConfig
}

Describe 'Set-BookBatchMailCredential' {
    BeforeEach {
        $env:XDG_CONFIG_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $script:store = Join-Path $env:XDG_CONFIG_HOME 'bookbatch/mail-credentials'
    }

    It 'stores the password for the current user, lists the login without it, and removes it' {
        Set-BookBatchMailCredential -Credential (New-Object PSCredential 'u', (ConvertTo-SecureString 'p4ss-w0rd' -AsPlainText -Force)) -Server smtp.example.com

        $login = Get-BookBatchMailCredential
        ($login.Server, $login.UserName) | Should -Be @('smtp.example.com', 'u')
        $login.Path | Should -BeLike "$store*"
        ($login | Format-List * | Out-String) | Should -Not -BeLike '*p4ss-w0rd*'
        if (-not $onWindows) {
            (Get-Item -LiteralPath $login.Path).UnixMode | Should -Be '-rw-------'
            (Get-Item -LiteralPath $store).UnixMode | Should -Be 'drwx------'
        }

        Get-BookBatchMailCredential smtp.example.com | Remove-BookBatchMailCredential

        Get-BookBatchMailCredential | Should -BeNullOrEmpty
        Test-Path -LiteralPath $login.Path | Should -BeFalse
    }

    It 'writes nothing with -WhatIf, and removes nothing with -WhatIf' {
        $credential = New-Object PSCredential 'u', (ConvertTo-SecureString 'p' -AsPlainText -Force)

        Set-BookBatchMailCredential -Credential $credential -Server smtp.example.com -WhatIf

        Test-Path -LiteralPath $env:XDG_CONFIG_HOME | Should -BeFalse
        Set-BookBatchMailCredential -Credential $credential -Server smtp.example.com -PassThru | Should -Not -BeNullOrEmpty
        Remove-BookBatchMailCredential -Server smtp.example.com -UserName u -WhatIf
        @(Get-BookBatchMailCredential).Count | Should -Be 1
    }

    It 'refuses an empty password, a server that is no host name, and removing a login that is not stored, and stores nothing' {
        $empty = New-Object PSCredential 'u', (New-Object System.Security.SecureString)

        Get-ErrorId { Set-BookBatchMailCredential -Credential $empty -Server smtp.example.com } | Should -Be @('MailCredentialInvalid,BookBatch.Commands.SetBookBatchMailCredentialCommand')
        Get-ErrorId { Set-BookBatchMailCredential -Credential (New-Object PSCredential 'u', (ConvertTo-SecureString 'p' -AsPlainText -Force)) -Server 'smtp example/com' } |
            Should -Be @('MailCredentialInvalid,BookBatch.Commands.SetBookBatchMailCredentialCommand')
        $missing = Remove-BookBatchMailCredential -Server smtp.example.com -UserName nobody -ErrorVariable failed 2>$null
        $failed[0].FullyQualifiedErrorId | Should -Be 'MailCredentialNotFound,BookBatch.Commands.RemoveBookBatchMailCredentialCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        [string] $failed[0] | Should -BeLike '*Get-BookBatchMailCredential lists*'
        Test-Path -LiteralPath $env:XDG_CONFIG_HOME | Should -BeFalse
    }

    It 'leaves a mail target without a stored password a Failed notification whose warning names the command, and the batch is not affected' {
        $ws = New-StageWorkspace
        $path = Join-Path $ws 'bookbatch.json'
        $settings = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $settings | Add-Member -NotePropertyName notifications -NotePropertyValue @{ email = @(@{
            name = 'ops-mail'; server = '127.0.0.1'; security = 'none'; from = 'bookbatch@example.com'; to = @('ops@example.com'); userName = 'bookbatch'; timeoutSeconds = 3
        }) }
        Write-TestFile -Path $path -Text ($settings | ConvertTo-Json -Depth 10)

        $result = 'Deep Work' | Invoke-BookBatch -Workspace $ws -WarningVariable warnings 3>$null

        $result.Outcome | Should -Be 'Success'
        @($warnings).Count | Should -Be 1
        [string] $warnings[0] | Should -BeLike "*no password is stored for 'bookbatch' at 127.0.0.1*Set-BookBatchMailCredential -Server '127.0.0.1'*"
        $line = Get-Content (Join-Path $ws "batches/$($result.BatchId).jsonl") | ConvertFrom-Json | Where-Object event -eq 'notification'
        ($line.target, $line.result) | Should -Be @('ops-mail', 'Failed')
    }
}
