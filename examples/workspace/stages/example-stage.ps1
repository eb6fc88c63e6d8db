<#
.SYNOPSIS
    An example BookBatch stage: writes a real file for its stage into the run folder; the upload stage
    "publishes" to the workspace's published/ folder and reports the URL.
.DESCRIPTION
    BookBatch runs a script stage in a runspace of its own and gives it the book as $BookBatch (Title, Author,
    RunFolder, Privacy, Stage, Attempt, OutputsPath, Workspace), and as parameters of those names when the script
    declares them, as this one does. A stage reports outputs (the upload stage's youtube_url and short_url) by
    writing a JSON object to OutputsPath.
    To see a failure and a resume, list the stage to fail in the workspace's file 'fail-at.txt' (for example
    'tts'): that stage fails until the file is removed.
    Runs unchanged in Windows PowerShell 5.1 and PowerShell 7, and uses no cmdlet outside the PowerShell engine.
#>
param(
    [string]$Title,
    [string]$Author,
    [string]$RunFolder,
    [string]$Stage,
    [int]$Attempt,
    [string]$OutputsPath,
    [string]$Workspace
)
$ErrorActionPreference = 'Stop'
if (-not $Stage -or -not $RunFolder) {
    throw 'This script is a BookBatch stage: run it through Invoke-BookBatch.'
}

"{0}: '{1}' by '{2}' (attempt {3})" -f $Stage, $Title, $Author, $Attempt

$failAt = [IO.Path]::Combine($Workspace, 'fail-at.txt')
if ([IO.File]::Exists($failAt) -and ([IO.File]::ReadAllText($failAt).Trim() -eq $Stage)) {
    "${Stage}: failing on purpose (fail-at.txt names this stage)"
    exit 1
}

$utf8 = [Text.UTF8Encoding]::new($false)
$file = [IO.Path]::Combine($RunFolder, $Stage + '.txt')
[IO.File]::WriteAllText($file, ('{0} done for {1} at {2:o}' -f $Stage, $Title, [DateTime]::Now), $utf8)

if ($Stage -eq 'upload') {
    $published = [IO.Path]::Combine($Workspace, 'published')
    [void][IO.Directory]::CreateDirectory($published)
    $video = [IO.Path]::Combine($published, ([IO.Path]::GetFileName($RunFolder) + '.txt'))
    [IO.File]::WriteAllText($video, ('{0} | {1}' -f $Title, $Author), $utf8)
    # BookBatch records only http(s) URLs: the example's "video" gets a URL of the reserved example.com domain.
    $url = 'https://www.example.com/watch?v=' + [Uri]::EscapeDataString([IO.Path]::GetFileName($RunFolder))
    [IO.File]::WriteAllText($OutputsPath, ('{{"youtube_url": "{0}", "short_url": null}}' -f $url), $utf8)
    "published: $url"
}
