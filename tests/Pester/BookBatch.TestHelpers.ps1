# Helpers shared by the BookBatch Pester specs; each spec dot-sources this file in its BeforeAll.
# Written for Windows PowerShell 5.1 and PowerShell 7 alike.

# The specs run where nobody can answer a question (as a scheduled task does): batches run with -Confirm:$false, as a
# scheduled task's must. The specs of the batch's confirmation take this default away.
$global:PSDefaultParameterValues['Invoke-BookBatch:Confirm'] = $false

function New-TestWorkspace {
    # A new, empty workspace folder under $TestDrive; returns its full path.
    $folder = Join-Path $TestDrive ('ws-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    $null = New-Item -ItemType Directory -Path $folder -Force
    return $folder
}

function Write-TestFile {
    # Writes text as UTF-8 without a byte order mark, creating the folder if needed.
    param(
        [Parameter(Mandatory = $true)] [string] $Path,
        [Parameter(Mandatory = $true)] [AllowEmptyString()] [string] $Text
    )
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($Path))
    [System.IO.File]::WriteAllText($Path, $Text, (New-Object System.Text.UTF8Encoding($false)))
}

function Get-DatabasePath {
    param([Parameter(Mandatory = $true)] [string] $Workspace)
    return (Join-Path $Workspace 'database.json')
}

function Read-Database {
    # database.json as a user reads it.
    param([Parameter(Mandatory = $true)] [string] $Workspace)
    return (Get-Content -LiteralPath (Get-DatabasePath $Workspace) -Raw | ConvertFrom-Json)
}

function Get-FileSha256 {
    param([Parameter(Mandatory = $true)] [string] $Path)
    return (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

function Get-TerminatingError {
    # Runs a command and returns the error that stopped it, or $null when it ran to its end.
    # A non-terminating error does not stop it (and is not returned): this tells the two kinds apart.
    param([Parameter(Mandatory = $true)] [scriptblock] $Command)
    $ErrorActionPreference = 'Continue'
    try {
        $null = & $Command 2>$null
    }
    catch {
        return $_
    }
    return $null
}

function Get-ErrorId {
    # Runs a command and returns the FullyQualifiedErrorId of every error it wrote or threw, in order.
    param([Parameter(Mandatory = $true)] [scriptblock] $Command)
    $ErrorActionPreference = 'Continue'
    $ids = New-Object System.Collections.Generic.List[string]
    try {
        & $Command 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { $ids.Add($_.FullyQualifiedErrorId) }
        }
    }
    catch {
        $ids.Add($_.FullyQualifiedErrorId)
    }
    return $ids.ToArray()
}

function Get-Title {
    # The titles of BookStatus objects, joined in order: '' when there are none.
    param([object[]] $Status)
    $titles = @()
    foreach ($item in @($Status)) {
        if ($null -ne $item) { $titles += [string] $item.Title }
    }
    return ($titles -join ', ')
}

function Get-WorkspaceFingerprint {
    # Every file and folder under a workspace with its SHA-256 (folders as '<dir>'), one 'path=hash' line each, sorted:
    # equal before and after a refusal when nothing on disk changed.
    param([Parameter(Mandatory = $true)] [string] $Workspace)
    $root = (Resolve-Path -LiteralPath $Workspace).ProviderPath
    $lines = foreach ($item in @(Get-ChildItem -LiteralPath $root -Recurse -Force)) {
        $relative = $item.FullName.Substring($root.Length)
        if ($item.PSIsContainer) { "$relative=<dir>" } else { "$relative=" + (Get-FileHash -LiteralPath $item.FullName -Algorithm SHA256).Hash }
    }
    return (@($lines | Sort-Object) -join "`n")
}

function Get-SelfCommand {
    # This PowerShell as a command line: under the local .NET tool (dotnet pwsh) that is 'dotnet pwsh.dll'.
    $path = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $prefix = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($path) -eq 'dotnet') { $prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    return @{ FilePath = $path; Prefix = $prefix }
}

function Invoke-InConsole {
    # A command run in a PowerShell of its own with the module imported: its console output as the user reads it
    # (ShouldProcess's "What if:" lines go to the console, not to a stream this session could redirect).
    param([Parameter(Mandatory = $true)] [string] $Command)
    $self = Get-SelfCommand
    $manifest = Join-Path $PSScriptRoot '../../out/BookBatch/BookBatch.psd1'
    $script = "Import-Module '$($manifest.Replace("'", "''"))' -ErrorAction Stop; $Command"
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    $arguments = @($self.Prefix) + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)
    return ((& $self.FilePath @arguments 2>&1 | ForEach-Object { [string] $_ }) -join "`n")
}
