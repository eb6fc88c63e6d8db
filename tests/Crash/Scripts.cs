namespace BookBatch.Crash
{
    /// <summary>
    /// The files a test folder gets: the stage every pipeline step runs, the upload's verify command, and the script
    /// each batch host runs. The stage and verify scripts write only OUTSIDE the workspace (the test folder's
    /// external/), so what they record is what happened, whatever the workspace says.
    /// </summary>
    internal static class Scripts
    {
        /// <summary>
        /// bin/stage.sh &lt;testdir&gt;: every stage of the pipeline. Logs its start to external/starts.log
        /// (S, ms, stage, title, pid, ppid, process start time, idempotency key, attempt, run folder, server), sleeps the
        /// seconds in sleep/&lt;stage&gt;, and as upload appends a publication to external/published.log and writes its
        /// youtube_url to $BOOKBATCH_OUTPUTS. Its end goes to starts.log as an E line (ms, stage, title, pid, how,
        /// server): "done" when it ran to its end, TERM/INT/HUP from the trap when a signal stopped it. A SIGKILL leaves no
        /// end line: the pid watcher sees it go. The server is the host name (the farm gives each worker's namespace one
        /// of its own, where pids mean nothing to the host).
        /// With external/locks/ (the farm), before anything else it takes kernel locks, which the kernel gives back
        /// however the process ends and which hold across PID namespaces: its book's and stage's, without waiting (an O
        /// line when another process holds it: the same stage of the same book ran twice at once); and, with
        /// slots/&lt;stage&gt; (the stage's concurrency plus one), the first free of that many slots (a C line with its
        /// number, 0 when none was free): a start that finds every slot up to its limit taken shows an overrun.
        /// </summary>
        public const string Stage = """
            #!/usr/bin/env bash
            # BookBatch crash test stage (written by tests/Crash). Records outside the workspace.
            dir="$1"
            ext="$dir/external"
            stage="${BOOKBATCH_STAGE:-?}"
            title="${BOOKBATCH_TITLE:-?}"
            key="${BOOKBATCH_IDEMPOTENCY_KEY:--}"
            [ -n "$key" ] || key=-
            run="${BOOKBATCH_RUN_FOLDER:-?}"; run="${run%/}"; run="${run##*/}"
            now() { local t="${EPOCHREALTIME//[!0-9]/}"; NOW="${t:0:13}"; }
            pstart=0
            if [ -r "/proc/$$/stat" ]; then
              read -r s < "/proc/$$/stat"; s="${s##*) }"; set -- $s; pstart="${20}"
            fi
            server=-
            [ -r /proc/sys/kernel/hostname ] && read -r server < /proc/sys/kernel/hostname
            overlap= slot=
            if [ -d "$ext/locks" ]; then
              book="${title//[^A-Za-z0-9]/_}"
              exec 9> "$ext/locks/$stage.$book.lock"
              flock -n 9 || overlap=1
              if [ -r "$dir/slots/$stage" ]; then
                read -r slots < "$dir/slots/$stage"; slot=0
                for ((i = 1; i <= slots; i++)); do
                  exec 8> "$ext/locks/$stage.slot$i.lock"
                  if flock -n 8; then slot=$i; break; fi
                  exec 8>&-
                done
              fi
            fi
            now
            printf 'S\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "$stage" "$title" "$$" "$PPID" "$pstart" "$key" "${BOOKBATCH_ATTEMPT:-?}" "$run" "$server" >> "$ext/starts.log"
            [ -n "$overlap" ] && printf 'O\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "$stage" "$title" "$$" "$server" >> "$ext/starts.log"
            [ -n "$slot" ] && printf 'C\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "$stage" "$title" "$$" "$server" "$slot" >> "$ext/starts.log"
            child=
            finish() { now; printf 'E\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "$stage" "$title" "$$" "$1" "$server" >> "$ext/starts.log"; }
            on_signal() { [ -n "$child" ] && kill "$child" 2>/dev/null; finish "$1"; exit "$2"; }
            trap 'on_signal TERM 143' TERM
            trap 'on_signal INT 130' INT
            trap 'on_signal HUP 129' HUP
            secs=0
            [ -r "$dir/sleep/$stage" ] && read -r secs < "$dir/sleep/$stage"
            if [ -n "$secs" ] && [ "$secs" != 0 ]; then
              # In the background and waited for, so that a trapped signal is handled at once.
              sleep "$secs" & child=$!
              wait "$child"
              child=
            fi
            if [ "$stage" = upload ]; then
              slug="${title,,}"; slug="${slug//[^a-z0-9]/-}"
              now
              printf 'P\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "$title" "$key" "$$" "$run" >> "$ext/published.log"
              printf '{"youtube_url": "https://youtube.example/watch?v=%s"}\n' "$slug" > "$BOOKBATCH_OUTPUTS"
            fi
            finish done
            exit 0

            """;

        /// <summary>
        /// bin/verify.sh &lt;testdir&gt;: the upload's verify command. Looks the idempotency key (or, when the engine
        /// gives none, the title) up in external/published.log: found, it writes the youtube_url to $BOOKBATCH_OUTPUTS and
        /// exits 0 (it published); not found, exit 1 (it did not). Each call is a V line in starts.log with its answer
        /// and its server (the host name, as the stage's lines have it).
        /// </summary>
        public const string Verify = """
            #!/usr/bin/env bash
            # BookBatch crash test verify command (written by tests/Crash).
            dir="$1"
            ext="$dir/external"
            title="${BOOKBATCH_TITLE:-?}"
            key="${BOOKBATCH_IDEMPOTENCY_KEY:-}"
            now() { local t="${EPOCHREALTIME//[!0-9]/}"; NOW="${t:0:13}"; }
            found=
            if [ -r "$ext/published.log" ]; then
              while IFS=$'\t' read -r kind ms t k rest; do
                [ "$kind" = P ] || continue
                if [ -n "$key" ]; then [ "$k" = "$key" ] && found=1
                else [ "$t" = "$title" ] && found=1
                fi
              done < "$ext/published.log"
            fi
            if [ -n "$found" ]; then
              slug="${title,,}"; slug="${slug//[^a-z0-9]/-}"
              printf '{"youtube_url": "https://youtube.example/watch?v=%s"}\n' "$slug" > "$BOOKBATCH_OUTPUTS"
              answer=published; code=0
            else
              answer=not-published; code=1
            fi
            server=-
            [ -r /proc/sys/kernel/hostname ] && read -r server < /proc/sys/kernel/hostname
            now
            printf 'V\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NOW" "${BOOKBATCH_STAGE:-?}" "$title" "$$" "$PPID" "${key:--}" "$answer" "$server" >> "$ext/starts.log"
            exit "$code"

            """;

        /// <summary>
        /// host.ps1: one batch in one pwsh process. Imports the staged module, says "ready" and waits for "go" on its
        /// input (so the program can start the next batch the instant it kills one), runs Invoke-BookBatch, prints one
        /// line per result and error, and writes Get-BookStatus to the status file. Exit codes: 0 the batch ran, 3 the
        /// settings were refused (BookBatchSettingsInvalid), 4 another terminating error, 9 told to stop before going.
        /// </summary>
        public const string Host = """
            param(
                [Parameter(Mandatory)][string]$Module,
                [Parameter(Mandatory)][string]$Workspace,
                [Parameter(Mandatory)][string]$List,
                [int]$Throttle = 1,
                [string]$StatusFile
            )
            $ErrorActionPreference = 'Continue'
            $ProgressPreference = 'SilentlyContinue'
            function Say([string]$Text) { [Console]::Out.WriteLine($Text); [Console]::Out.Flush() }
            function Flat([object]$Text) { "$Text" -replace '[\r\n\t]+', ' ' }
            Import-Module $Module -ErrorAction Stop
            Say 'ready'
            $line = [Console]::In.ReadLine()
            if ($line -ne 'go') { exit 9 }
            Say "go $PID"
            $batchErrors = $null
            try {
                $results = @(Invoke-BookBatch -Workspace $Workspace -Path $List -ThrottleLimit $Throttle -DelaySeconds 0 -Confirm:$false `
                    -InformationAction Ignore -ErrorVariable batchErrors -ErrorAction SilentlyContinue)
            }
            catch {
                $id = $_.FullyQualifiedErrorId
                Say ("terminating`t{0}`t{1}" -f $id, (Flat $_.Exception.Message))
                if ($id -like 'BookBatchSettingsInvalid*') { exit 3 }
                exit 4
            }
            foreach ($r in $results) { Say ("result`t{0}`t{1}`t{2}`t{3}" -f (Flat $r.Title), $r.Outcome, (Flat $r.Reason), (Flat $r.Error)) }
            foreach ($e in @($batchErrors)) {
                if ($null -eq $e) { continue }
                $id = "$($e.FullyQualifiedErrorId)"
                Say ("error`t{0}`t{1}" -f $id, (Flat $e.Exception.Message))
                if ($id -like 'BookBatchSettingsInvalid*') { exit 3 }
            }
            if ($StatusFile) {
                $books = @(Get-BookStatus -Workspace $Workspace | ForEach-Object {
                    [ordered]@{ title = $_.Title; status = "$($_.Status)"; action = "$($_.Action)"; youtubeUrl = $_.YouTubeUrl }
                })
                $temp = "$StatusFile.tmp"
                ConvertTo-Json -InputObject $books -Depth 3 | Set-Content -LiteralPath $temp -Encoding utf8NoBOM
                Move-Item -LiteralPath $temp -Destination $StatusFile -Force
            }
            Say 'end'
            exit 0

            """;
    }
}
