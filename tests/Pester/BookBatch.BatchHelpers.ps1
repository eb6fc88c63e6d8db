# The batch workspace of the batch specs (Invoke-BookBatch, Get-BatchSummary, Get-BookRun): dot-source it in
# BeforeAll, after BookBatch.TestHelpers.ps1.

$stageNames = @('search', 'transcribe', 'process', 'tts', 'render', 'upload', 'shorts')

# The stage of every test pipeline: a script stage, so that it runs alike on Windows and Linux. It uses plain .NET
# calls only, so it runs in the stage's own runspace under Windows PowerShell 5.1 and PowerShell 7 alike.
$testStageScript = @'
param($Title, $Author, $Stage, $Attempt, $Privacy, $RunFolder, $OutputsPath, $Workspace)
# Records its run in stage-runs.log (stage, title, author, privacy, attempt, tab-separated); takes the seconds
# written in hold-<stage>; fails with exit 1 when fail-<stage> or fail-<stage>-<letters and digits of the title>
# exists; as the upload stage, reports the video's and the short's URLs in its outputs file.
$utf8 = [System.Text.UTF8Encoding]::new($false)
function Add-Line([string] $Name, [string] $Line) {
# Books run side by side: append under an exclusive lock, and wait for it.
$path = [System.IO.Path]::Combine($Workspace, $Name)
$bytes = $utf8.GetBytes($Line + "`n")
for ($try = 0; $try -lt 1000; $try++) {
    try {
        $stream = [System.IO.FileStream]::new($path, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
        try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
        return
    }
    catch [System.IO.IOException] { [System.Threading.Thread]::Sleep(10) }
}
throw "cannot write $path"
}
$started = [DateTime]::UtcNow.Ticks
$slug = $Title -replace '[^A-Za-z0-9]', ''
Add-Line 'stage-runs.log' ("$Stage`t$Title`t$Author`t$Privacy`t$Attempt")
"$Stage ran for $Title"
$hold = [System.IO.Path]::Combine($Workspace, "hold-$Stage")
if ([System.IO.File]::Exists($hold)) {
$seconds = [double]::Parse([System.IO.File]::ReadAllText($hold).Trim(), [System.Globalization.CultureInfo]::InvariantCulture)
$until = [DateTime]::UtcNow.AddSeconds($seconds)
# Short sleeps: a stopped batch (Ctrl+C, a time-out) stops the script between two of them.
while ([DateTime]::UtcNow -lt $until) { [System.Threading.Thread]::Sleep(50) }
}
Add-Line 'intervals.log' ("$Stage`t$Title`t$started`t" + [DateTime]::UtcNow.Ticks)
if ([System.IO.File]::Exists([System.IO.Path]::Combine($Workspace, "fail-$Stage")) -or
[System.IO.File]::Exists([System.IO.Path]::Combine($Workspace, "fail-$Stage-$slug"))) {
"$Stage fails on purpose"
exit 1
}
if ($Stage -eq 'upload') {
$outputs = '{"youtube_url": "https://youtube.example/watch?v=' + $slug + '", "short_url": "https://youtube.example/shorts/' + $slug + '"}'
[System.IO.File]::WriteAllText($OutputsPath, $outputs, $utf8)
}
exit 0
'@

function New-StageWorkspace {
    # A workspace whose bookbatch.json runs the test stage for each of the seven stages, with no pause between books.
    # -StageSettings adds JSON members to a stage: @{ render = '"concurrency": 1' }.
    param(
        [double] $StageTimeoutSeconds = 60,
        [int] $Retries = 0,
        [hashtable] $StageSettings = @{}
    )
    $workspace = New-TestWorkspace
    Write-TestFile -Path (Join-Path (Join-Path $workspace 'stages') 'test-stage.ps1') -Text $testStageScript
    $invariant = [System.Globalization.CultureInfo]::InvariantCulture
    $stages = foreach ($name in $stageNames) {
        $stage = '{"name": "' + $name + '", "script": "stages/test-stage.ps1", "timeoutSeconds": ' + $StageTimeoutSeconds.ToString($invariant) +
            ', "retries": ' + $Retries + ', "retryDelaySeconds": 0.1'
        if ($StageSettings.ContainsKey($name)) { $stage += ', ' + $StageSettings[$name] }
        $stage + '}'
    }
    Write-TestFile -Path (Join-Path $workspace 'bookbatch.json') -Text ('{"privacy": "unlisted", "delaySeconds": 0, "stages": [' + ($stages -join ', ') + ']}')
    return $workspace
}

function Get-StageRun {
    # Every run of the test stage so far, in order: Stage, Title, Author, Privacy, Attempt.
    param([Parameter(Mandatory = $true)] [string] $Workspace)
    $log = Join-Path $Workspace 'stage-runs.log'
    if (-not (Test-Path -LiteralPath $log)) { return }
    foreach ($line in [System.IO.File]::ReadAllLines($log)) {
        if ($line.Length -eq 0) { continue }
        $parts = $line.Split("`t")
        [pscustomobject]@{ Stage = $parts[0]; Title = $parts[1]; Author = $parts[2]; Privacy = $parts[3]; Attempt = [int] $parts[4] }
    }
}

function Get-StageRunCount {
    # How many times a stage ran, for one title or for all.
    param(
        [Parameter(Mandatory = $true)] [string] $Workspace,
        [Parameter(Mandatory = $true)] [string] $Stage,
        [string] $Title
    )
    try {
        return @(Get-StageRun -Workspace $Workspace | Where-Object { $_.Stage -eq $Stage -and (-not $Title -or $_.Title -eq $Title) }).Count
    }
    catch [System.IO.IOException] {
        # A stage is appending to the log right now (only when a test looks while a batch runs).
        return 0
    }
}

function Get-RunSummary {
    # A run folder's summary.json as 'stage=state' pairs in the file's order; a null state is empty.
    param(
        [Parameter(Mandatory = $true)] [string] $Workspace,
        [Parameter(Mandatory = $true)] [string] $RunFolder
    )
    $path = Join-Path (Join-Path (Join-Path $Workspace 'runs') $RunFolder) 'summary.json'
    $summary = [System.IO.File]::ReadAllText($path) | ConvertFrom-Json
    return (@($summary.PSObject.Properties | ForEach-Object { '{0}={1}' -f $_.Name, $_.Value }) -join ',')
}
