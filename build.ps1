<#
.SYNOPSIS
    Builds, tests and packages the BookBatch module.
.DESCRIPTION
    Build:   dotnet build of BookBatch.sln; the build stages the importable module in out/BookBatch and its
             restore downloads the pinned Pester (tests/Unit/BookBatch.Tests.csproj) into the NuGet packages folder.
    Test:    Build, then dotnet test of tests/Unit (xunit), then the Pester specs in tests/Pester with the pinned
             Pester, in a child process of the PowerShell that runs this script (so that the imported module's
             assembly is not left loaded in this session), then the small run of the crash tests (tests/Crash;
             Linux and macOS), then the PostgreSQL store's tests (tests/Postgres) against a throwaway server when the
             machine has PostgreSQL (else a loud line says they were skipped). Prints each suite's totals; fails if one
             failed or ran nothing.
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
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
    Builds and runs every test with the pwsh of the project's tool manifest (.config/dotnet-tools.json): what CI does.
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
$unitProject = [System.IO.Path]::Combine($root, 'tests', 'Unit', 'BookBatch.Tests.csproj')
$postgresProject = [System.IO.Path]::Combine($root, 'tests', 'Postgres', 'BookBatch.Postgres.Tests.csproj')
$resultsFolder = Join-Path $outFolder 'TestResults'

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
    & $FilePath @ArgumentList | Out-Host
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

# The PowerShell that runs this script, to start the specs in a child of the same kind: under the local .NET tool
# (dotnet pwsh) that is 'dotnet pwsh.dll'; an installed pwsh or Windows PowerShell is its own executable.
function Get-PowerShellCommand {
    $processPath = $null
    if ($PSVersionTable.PSEdition -eq 'Core') { $processPath = [System.Environment]::ProcessPath }
    if (-not $processPath) { $processPath = (Get-Process -Id $PID).Path }
    $name = [System.IO.Path]::GetFileNameWithoutExtension($processPath)
    if ($name -eq 'dotnet') {
        $entry = Join-Path $PSHOME 'pwsh.dll'
        if (-not (Test-Path -LiteralPath $entry -PathType Leaf)) {
            throw "This PowerShell runs under '$processPath', but '$entry' does not exist."
        }
        return @{ FilePath = $processPath; Prefix = @($entry) }
    }
    return @{ FilePath = $processPath; Prefix = @() }
}

# The Pester the specs run with: the version pinned in tests/Unit/BookBatch.Tests.csproj (a PackageDownload, so
# the build's restore puts it in the NuGet packages folder). The same everywhere, whatever Pester is installed.
function Get-PinnedPester {
    [xml] $project = Get-Content -LiteralPath $unitProject -Raw
    $download = $project.SelectSingleNode("//PackageDownload[@Include='Pester']")
    if (-not $download) { throw "'$unitProject' pins no Pester (a PackageDownload of Pester)." }
    $version = $download.GetAttribute('Version').Trim('[', ']')
    $packages = $env:NUGET_PACKAGES
    if (-not $packages) {
        $listing = & dotnet nuget locals global-packages --list
        $packages = ([string] $listing) -replace '^\s*global-packages:\s*', ''
    }
    $manifest = [System.IO.Path]::Combine($packages.Trim(), 'pester', $version, 'tools', 'Pester.psd1')
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "Pester $version is not in '$manifest'. Run './build.ps1 -Task Build' (its restore downloads it) and try again."
    }
    return @{ Version = $version; Manifest = $manifest }
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

function Get-Counter([System.Xml.XmlElement] $Counters, [string] $Name) {
    $value = $Counters.GetAttribute($Name)
    if ($value) { return [int] $value } else { return 0 }
}

# Runs the xunit tests of one project and returns their totals as suite <Name> (from the TRX file dotnet test writes).
function Invoke-XunitProject {
    param([Parameter(Mandatory = $true)] [string] $Name, [Parameter(Mandatory = $true)] [string] $Project)
    $trx = Join-Path $resultsFolder "$Name.trx"
    if (Test-Path -LiteralPath $trx) { Remove-Item -LiteralPath $trx -Force }
    # A failing test is reported in the totals below; the exit code is checked after they are printed.
    $global:LASTEXITCODE = 0
    & dotnet test $Project -c $Configuration --no-build --logger "trx;LogFileName=$Name.trx" --results-directory $resultsFolder | Out-Host
    $exitCode = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $trx -PathType Leaf)) {
        throw "dotnet test wrote no results (exit code $exitCode). See the output above."
    }
    $counters = ([xml] (Get-Content -LiteralPath $trx -Raw)).TestRun.ResultSummary.Counters
    return [pscustomobject]@{
        Name = $Name; Passed = Get-Counter $counters 'passed'
        Failed = (Get-Counter $counters 'failed') + (Get-Counter $counters 'error') + (Get-Counter $counters 'timeout')
        Skipped = Get-Counter $counters 'notExecuted'; ExitCode = $exitCode
    }
}

function Invoke-XunitTests {
    Write-Step "xunit tests ($Configuration)"
    Invoke-XunitProject -Name 'xunit' -Project $unitProject
}

# The PostgreSQL store's tests start a throwaway server of Debian's postgresql (/usr/lib/postgresql/<version>/bin);
# without one they are skipped, loudly, so that a machine without PostgreSQL is never taken for a passing run.
function Invoke-PostgresTests {
    $initdb = @(Get-Item -Path '/usr/lib/postgresql/*/bin/initdb' -ErrorAction SilentlyContinue)
    if ($initdb.Count -eq 0) {
        Write-Host ''
        Write-Host 'PostgreSQL tests skipped: no PostgreSQL server found (apt-get install postgresql)' -ForegroundColor Yellow
        return $null
    }
    Write-Step "PostgreSQL store tests ($Configuration, a throwaway server of $($initdb[-1].Directory.Parent.Name))"
    Invoke-XunitProject -Name 'postgres' -Project $postgresProject
}

# Runs the Pester specs in a child PowerShell of the same kind as this one, so that the imported module's assembly
# is not left loaded (and locked) in this session; returns their totals.
function Invoke-PesterSpecs {
    $pester = Get-PinnedPester
    $powershell = Get-PowerShellCommand
    Write-Step "Pester specs (Pester $($pester.Version), PowerShell $($PSVersionTable.PSVersion))"
    Assert-StagedModule
    $resultsFile = Join-Path $resultsFolder 'Pester.xml'
    $totalsFile = Join-Path $resultsFolder 'Pester.totals.json'
    if (Test-Path -LiteralPath $totalsFile) { Remove-Item -LiteralPath $totalsFile -Force }

    # Paths go into the child's script as single-quoted literals: a quote in a path is doubled.
    $specsLiteral = $pesterSpecs.Replace("'", "''")
    $resultsLiteral = $resultsFile.Replace("'", "''")
    $totalsLiteral = $totalsFile.Replace("'", "''")
    $manifestLiteral = ([string] $pester.Manifest).Replace("'", "''")
    # The specs run with the child's default preferences: no global ErrorActionPreference of ours leaks into them.
    $childScript = @"
try {
    Import-Module -Name '$manifestLiteral' -ErrorAction Stop
    `$configuration = New-PesterConfiguration
    `$configuration.Run.Path = '$specsLiteral'
    `$configuration.Run.PassThru = `$true
    `$configuration.Output.Verbosity = 'Normal'
    `$configuration.TestResult.Enabled = `$true
    `$configuration.TestResult.OutputPath = '$resultsLiteral'
    `$run = Invoke-Pester -Configuration `$configuration
    `$totals = @{ Passed = `$run.PassedCount; Failed = `$run.FailedCount + `$run.FailedBlocksCount + `$run.FailedContainersCount; Skipped = `$run.SkippedCount + `$run.NotRunCount }
    [System.IO.File]::WriteAllText('$totalsLiteral', (ConvertTo-Json `$totals))
}
catch {
    Write-Host ('The Pester run could not complete: ' + `$_) -ForegroundColor Red
    exit 1
}
exit 0
"@
    $encoded = [System.Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($childScript))
    $arguments = @($powershell.Prefix) + @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
    Invoke-Native -What 'The Pester run' -FilePath $powershell.FilePath -ArgumentList $arguments `
        -Display "$($powershell.FilePath) $($powershell.Prefix) -NoProfile -NonInteractive -EncodedCommand <Invoke-Pester, Run.Path = '$pesterSpecs'>"
    $totals = Get-Content -LiteralPath $totalsFile -Raw | ConvertFrom-Json
    Write-Host "Pester results written to $resultsFile"
    return [pscustomobject]@{ Name = 'pester'; Passed = [int] $totals.Passed; Failed = [int] $totals.Failed; Skipped = [int] $totals.Skipped; ExitCode = 0 }
}

# The small run of the crash tests (tests/Crash): real batches in pwsh hosts killed with real signals, batches side by
# side, counts of what happened outside the workspace. Its scenarios are its tests. Unix only: bash stages, signals.
function Invoke-CrashTests {
    if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
        Write-Host 'Crash tests skipped: they need Linux or macOS (bash stages, signals).' -ForegroundColor Yellow
        return $null
    }
    Write-Step 'Crash tests (small run)'
    $global:LASTEXITCODE = 0
    $lines = & dotnet run --project (Join-Path (Join-Path $root 'tests') 'Crash') -c $Configuration --no-build -- small 2>&1 |
        ForEach-Object { Write-Host $_; [string] $_ }
    $exitCode = $LASTEXITCODE
    $totals = $lines | Where-Object { $_ -match '^crash: (\d+) passed, (\d+) failed' } | Select-Object -Last 1
    if (-not $totals) { throw "The crash tests printed no totals (exit code $exitCode). See the output above." }
    $null = $totals -match '^crash: (\d+) passed, (\d+) failed'
    return [pscustomobject]@{ Name = 'crash'; Passed = [int] $Matches[1]; Failed = [int] $Matches[2]; Skipped = 0; ExitCode = $exitCode }
}

# Every suite runs, whatever the one before gives; then their totals, and a failure if one failed or ran nothing.
function Invoke-TestTask {
    Assert-Dotnet
    if (-not (Test-Path -LiteralPath $resultsFolder)) { $null = New-Item -ItemType Directory -Path $resultsFolder }
    $suites = @((Invoke-XunitTests), (Invoke-PesterSpecs), (Invoke-CrashTests), (Invoke-PostgresTests)) | Where-Object { $null -ne $_ }
    Write-Host ''
    foreach ($suite in $suites) {
        Write-Host ('{0}: {1} passed, {2} failed, {3} skipped' -f $suite.Name, $suite.Passed, $suite.Failed, $suite.Skipped)
    }
    $passed = ($suites | Measure-Object -Property Passed -Sum).Sum
    $failed = ($suites | Measure-Object -Property Failed -Sum).Sum
    Write-Host ('tests: {0} passed, {1} failed' -f $passed, $failed)
    foreach ($suite in $suites) {
        if ($suite.Passed -eq 0) { throw "The $($suite.Name) tests ran nothing." }
        if ($suite.Failed -gt 0 -or $suite.ExitCode -ne 0) { throw "The $($suite.Name) tests failed (see above)." }
    }
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
        'Test' {
            Invoke-BuildTask
            Invoke-TestTask
        }
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
