BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1') -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'BookBatch.TestHelpers.ps1')

    function Get-HttpStatus {
        # The status code of a GET, also when it is an error (Windows PowerShell 5.1 and PowerShell 7 alike).
        param([Parameter(Mandatory = $true)] [string] $Url, [hashtable] $Headers = @{})
        try { return [int] (Invoke-WebRequest -Uri $Url -Headers $Headers -UseBasicParsing -TimeoutSec 10).StatusCode }
        catch {
            if ($null -ne $_.Exception.Response) { return [int] $_.Exception.Response.StatusCode }
            return 0 # nothing answers
        }
    }
}

Describe 'Start-BookBatchDashboard' {
    AfterEach { Stop-BookBatchDashboard }

    It 'serves the page of the workspace on 127.0.0.1, on a free port, until Stop-BookBatchDashboard' {
        $workspace = New-TestWorkspace
        $dashboard = Start-BookBatchDashboard -Workspace $workspace
        $dashboard.Url | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $dashboard.Running | Should -BeTrue
        $page = Invoke-WebRequest -Uri $dashboard.Url -UseBasicParsing
        $page.Content | Should -Match 'BookBatch dashboard'
        (Invoke-WebRequest -Uri ($dashboard.Url + 'snapshot.json') -UseBasicParsing).Content | ConvertFrom-Json |
            ForEach-Object Workspace | Should -Be $workspace

        $dashboard | Stop-BookBatchDashboard
        $dashboard.Running | Should -BeFalse
        Get-HttpStatus $dashboard.Url | Should -Be 0
    }

    It 'refuses an address other machines reach without -AccessToken, and listens on nothing' {
        $workspace = New-TestWorkspace
        $failure = Get-TerminatingError { Start-BookBatchDashboard -Workspace $workspace -ListenAddress 0.0.0.0 -Port 0 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'DashboardAccessTokenRequired,*'
        $failure.CategoryInfo.Category | Should -Be 'SecurityError'
        $failure.TargetObject | Should -Be '0.0.0.0'
        $failure.Exception.Message | Should -Match '-AccessToken'
    }

    It 'with an access token, answers only the requests that carry it' {
        $workspace = New-TestWorkspace
        $dashboard = Start-BookBatchDashboard -Workspace $workspace -AccessToken 's3cret-token'
        $dashboard.Url | Should -Match '\?token=s3cret-token$'
        $bare = $dashboard.Url.Split('?')[0]
        Get-HttpStatus $bare | Should -Be 401
        Get-HttpStatus ($bare + '?token=wrong') | Should -Be 401
        Get-HttpStatus $dashboard.Url | Should -Be 200
        Get-HttpStatus ($bare + 'snapshot.json') -Headers @{ Authorization = 'Bearer s3cret-token' } | Should -Be 200
    }

    It 'stops the dashboard named by -Port and leaves the others; a port of none is DashboardNotFound' {
        $workspace = New-TestWorkspace
        $one = Start-BookBatchDashboard -Workspace $workspace
        $two = Start-BookBatchDashboard -Workspace $workspace
        $stopped = Stop-BookBatchDashboard -Port $one.Port -PassThru
        $stopped.Port | Should -Be $one.Port
        $one.Running | Should -BeFalse
        $two.Running | Should -BeTrue
        $failure = Get-TerminatingError { Stop-BookBatchDashboard -Port $one.Port -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'DashboardNotFound,*'
        $failure.Exception.Message | Should -Match "port $($two.Port)"
    }
}
