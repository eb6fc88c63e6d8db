<#
.SYNOPSIS
    An example BookBatch stage: writes a real file for its stage into the run folder; the upload stage
    "publishes" to the workspace's published/ folder and reports the URL.
.DESCRIPTION
    BookBatch gives a stage the book in environment variables: BOOKBATCH_TITLE, BOOKBATCH_AUTHOR,
    BOOKBATCH_RUN_FOLDER, BOOKBATCH_PRIVACY, BOOKBATCH_STAGE, BOOKBATCH_ATTEMPT and BOOKBATCH_OUTPUTS (the file in
    which a stage reports outputs such as youtube_url). Set BOOKBATCH_EXAMPLE_FAIL_AT to a stage name to make that
    stage fail, and see the next batch resume there.
    Runs unchanged in Windows PowerShell 5.1 and PowerShell 7.
#>
$ErrorActionPreference = 'Stop'
$stage = $env:BOOKBATCH_STAGE
$runFolder = $env:BOOKBATCH_RUN_FOLDER
if (-not $stage -or -not $runFolder) {
    throw 'This script is a BookBatch stage: run it through Invoke-BookBatch.'
}

Write-Output ("{0}: '{1}' by '{2}' (attempt {3})" -f $stage, $env:BOOKBATCH_TITLE, $env:BOOKBATCH_AUTHOR, $env:BOOKBATCH_ATTEMPT)

if ($env:BOOKBATCH_EXAMPLE_FAIL_AT -and $env:BOOKBATCH_EXAMPLE_FAIL_AT -eq $stage) {
    [Console]::Error.WriteLine("${stage}: failing on purpose (BOOKBATCH_EXAMPLE_FAIL_AT=$stage)")
    exit 1
}

$utf8 = New-Object System.Text.UTF8Encoding($false)
$file = Join-Path $runFolder ("{0}.txt" -f $stage)
[System.IO.File]::WriteAllText($file, ("{0} done for {1} at {2:o}" -f $stage, $env:BOOKBATCH_TITLE, (Get-Date)), $utf8)

if ($stage -eq 'upload') {
    $workspace = Split-Path (Split-Path $runFolder -Parent) -Parent
    $published = Join-Path $workspace 'published'
    if (-not (Test-Path -LiteralPath $published)) { New-Item -ItemType Directory -Path $published | Out-Null }
    $name = Split-Path $runFolder -Leaf
    $video = Join-Path $published ("{0}.txt" -f $name)
    [System.IO.File]::WriteAllText($video, ("{0} | {1}" -f $env:BOOKBATCH_TITLE, $env:BOOKBATCH_AUTHOR), $utf8)
    $url = ([System.Uri]$video).AbsoluteUri
    $outputs = '{{"youtube_url": "{0}", "short_url": null}}' -f $url
    [System.IO.File]::WriteAllText($env:BOOKBATCH_OUTPUTS, $outputs, $utf8)
    Write-Output "published: $url"
}
