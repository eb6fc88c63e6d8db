<#
.SYNOPSIS
    Builds, tests and packages the BookBatch module.
.DESCRIPTION
    Build:   dotnet build of BookBatch.sln; the build stages the importable module in out/BookBatch.
    Test:    dotnet test of the solution (xunit), then the Pester 5 specs in tests/Pester, run in a child
             PowerShell process so that the imported module's assembly is not left loaded (and locked) in this
             session. Without Pester 5 the specs are skipped, and the script says so.
    Package: copies out/BookBatch to out/package/BookBatch/<ModuleVersion>/ and zips it as
             out/BookBatch-<ModuleVersion>.zip.
    All:     Build, Test, then Package.

    Runs in Windows PowerShell 5.1 and PowerShell 7. Any failed step stops the script with a non-zero exit code.
.PARAMETER Task
    What to do: Build, Test, Package or All (the default).
.PARAMETER Configuration
    The dotnet build configuration (Release by default).
.EXAMPLE
    ./build.ps1
    Builds, runs every test and writes out/BookBatch-<version>.zip.
.EXAMPLE
    ./build.ps1 -Task Test -Configuration Debug
    Runs the xunit tests and the Pester specs against an existing Debug build.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'All')]
    [string] $Task = 'All',

    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$solution = Join-Path $root 'BookBatch.sln'
$outFolder = Join-Path $root 'out'
$stagedModule = Join-Path $outFolder 'BookBatch'
$stagedManifest = Join-Path $stagedModule 'BookBatch.psd1'
$pesterSpecs = Join-Path (Join-Path $root 'tests') 'Pester'
$script:PesterRan = $false

function Write-Step {
    param([string] $Message)
    Write-Host ''
    Write-Host "==> $Message" -ForegroundColor Cyan
}

# Runs a native command and stops the build when it fails: native commands do not obey $ErrorActionPreference.
function Invoke-Native {
    param(
        [Parameter(Mandatory = $true)] [string] $What,
        [Parameter(Mandatory = $true)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        # What to show instead of the arguments (an encoded command says nothing to a reader).
        [string] $Display
    )
    if (-not $Display) { $Display = "$FilePath $($ArgumentList -join ' ')" }
    Write-Host $Display -ForegroundColor DarkGray
    $global:LASTEXITCODE = 0
    & $FilePath @ArgumentList
    $exitCode = $LASTEXITCODE
    if ($exitCode -ne 0) {
        throw "$What failed (exit code $exitCode). See the output above; the build stopped here."
    }
}

function Assert-Dotnet {
    if (-not (Get-Command -Name 'dotnet' -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "The 'dotnet' command was not found. Install the .NET 10 SDK and try again."
    }
}

function Assert-StagedModule {
    if (-not (Test-Path -LiteralPath $stagedManifest -PathType Leaf)) {
        throw "The staged module '$stagedManifest' does not exist. Run './build.ps1 -Task Build' first."
    }
}

# The PowerShell executable of the edition that runs this script, so that the specs run where Pester was found.
function Get-PowerShellExecutable {
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    if ($PSVersionTable.PSEdition -eq 'Core') {
        if ($onWindows) { $name = 'pwsh.exe' } else { $name = 'pwsh' }
    }
    else {
        $name = 'powershell.exe'
    }
    $candidate = Join-Path $PSHOME $name
    if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    $found = Get-Command -Name $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($found) { return $found.Path }
    throw "Cannot find '$name' to run the Pester specs in a child process."
}

function Get-ModuleVersion {
    param([Parameter(Mandatory = $true)] [string] $ManifestPath)
    if (Get-Command -Name 'Import-PowerShellDataFile' -ErrorAction SilentlyContinue) {
        $data = Import-PowerShellDataFile -Path $ManifestPath
        $version = $data['ModuleVersion']
    }
    else {
        $match = [regex]::Match([System.IO.File]::ReadAllText($ManifestPath), "ModuleVersion\s*=\s*'([^']+)'")
        if ($match.Success) { $version = $match.Groups[1].Value } else { $version = $null }
    }
    if (-not $version) {
        throw "'$ManifestPath' has no ModuleVersion."
    }
    return [string] $version
}

function Invoke-BuildTask {
    Write-Step "Build ($Configuration)"
    Assert-Dotnet
    Invoke-Native -What 'dotnet build' -FilePath 'dotnet' -ArgumentList @('build', $solution, '-c', $Configuration)
    Assert-StagedModule
    Write-Host "Module staged in $stagedModule"
}

function Invoke-PesterSpecs {
    $pester = Get-Module -Name Pester -ListAvailable |
        Where-Object { $_.Version -ge [version]'5.0.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if (-not $pester) {
        Write-Warning ("Pester 5 or later is not installed, so the Pester specs in '$pesterSpecs' were SKIPPED. " +
            'Install it with: Install-Module Pester -MinimumVersion 5.0.0 -Scope CurrentUser -Force -SkipPublisherCheck')
        return
    }

    Write-Step "Pester specs (Pester $($pester.Version))"
    Assert-StagedModule
    $resultsFolder = Join-Path $outFolder 'TestResults'
    if (-not (Test-Path -LiteralPath $resultsFolder)) {
        $null = New-Item -ItemType Directory -Path $resultsFolder
    }
    $resultsFile = Join-Path $resultsFolder 'Pester.xml'

    # Paths go into the child's script as single-quoted literals: a quote in a path is doubled.
    $specsLiteral = $pesterSpecs.Replace("'", "''")
    $resultsLiteral = $resultsFile.Replace("'", "''")
    $manifestLiteral = ([string] $pester.Path).Replace("'", "''")
    # The specs run with the child's default preferences: no global ErrorActionPreference of ours leaks into them.
    $childScript = @"
try {
    Import-Module -Name '$manifestLiteral' -ErrorAction Stop
    if (Get-Command -Name New-PesterConfiguration -ErrorAction SilentlyContinue) {
        `$configuration = New-PesterConfiguration
    }
    else {
        `$configuration = [PesterConfiguration]::Default
    }
    `$configuration.Run.Path = '$specsLiteral'
    `$configuration.Run.Exit = `$true
    `$configuration.Run.PassThru = `$true
    `$configuration.Output.Verbosity = 'Detailed'
    `$configuration.TestResult.Enabled = `$true
    `$configuration.TestResult.OutputPath = '$resultsLiteral'
    `$run = Invoke-Pester -Configuration `$configuration
}
catch {
    Write-Host ('The Pester run could not complete: ' + `$_) -ForegroundColor Red
    exit 1
}
if (`$null -eq `$run -or `$run.Result -ne 'Passed') {
    Write-Host ('Pester result: ' + `$(if (`$null -eq `$run) { 'none' } else { `$run.Result })) -ForegroundColor Red
    exit 1
}
exit 0
"@
    $encoded = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($childScript))
    $executable = Get-PowerShellExecutable
    Invoke-Native -What 'The Pester specs' -FilePath $executable `
        -ArgumentList @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', $encoded) `
        -Display "$executable -NoProfile -NonInteractive -EncodedCommand <Invoke-Pester, Run.Path = '$pesterSpecs', Run.Exit>"
    $script:PesterRan = $true
    Write-Host "Pester results written to $resultsFile"
}

function Invoke-TestTask {
    Write-Step "Test ($Configuration)"
    Assert-Dotnet
    Invoke-Native -What 'dotnet test' -FilePath 'dotnet' -ArgumentList @('test', $solution, '-c', $Configuration, '--no-build')
    Invoke-PesterSpecs
}

function Invoke-PackageTask {
    Write-Step 'Package'
    Assert-StagedModule
    $version = Get-ModuleVersion -ManifestPath $stagedManifest
    $packageRoot = Join-Path (Join-Path $outFolder 'package') 'BookBatch'
    $versionFolder = Join-Path $packageRoot $version
    $zip = Join-Path $outFolder ("BookBatch-{0}.zip" -f $version)

    if (Test-Path -LiteralPath $packageRoot) {
        Remove-Item -LiteralPath $packageRoot -Recurse -Force
    }
    $null = New-Item -ItemType Directory -Path $versionFolder -Force
    Copy-Item -Path (Join-Path $stagedModule '*') -Destination $versionFolder -Recurse -Force

    if (Test-Path -LiteralPath $zip) {
        Remove-Item -LiteralPath $zip -Force
    }
    # The zip holds BookBatch/<version>/...: extracted into a folder of $env:PSModulePath, it imports as is.
    Compress-Archive -LiteralPath $packageRoot -DestinationPath $zip
    Write-Host "Module $version packaged in $versionFolder and $zip"
}

try {
    switch ($Task) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-PackageTask }
        'All' {
            Invoke-BuildTask
            Invoke-TestTask
            Invoke-PackageTask
        }
    }
}
catch {
    Write-Host ''
    Write-Host "BUILD FAILED: $($_.Exception.Message)" -ForegroundColor Red
    exit 1
}
Write-Host ''
Write-Host "$Task succeeded." -ForegroundColor Green
if (($Task -eq 'Test' -or $Task -eq 'All') -and -not $script:PesterRan) {
    Write-Warning 'The Pester specs did not run (Pester 5 or later is not installed): only the xunit tests were run.'
}
