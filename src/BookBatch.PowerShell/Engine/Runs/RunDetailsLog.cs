using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Storage;

namespace BookBatch.Engine.Runs
{
    /// <summary>
    /// <c>bookbatch-run.jsonl</c>: a run folder's details as one JSON line per event, appended as it happens. The first
    /// line ("run") is the book and, for a folder an older BookBatch made, everything its <c>bookbatch-run.json</c>
    /// held; then "attempt" (an attempt started; a process stage's before its process, with its token), "process"
    /// (that attempt's process, once it runs), "gone" (its process ended and its host recorded no end: the stage
    /// watchdog's line), "ended" (how it ended, with the stage's outputs) and "recovered" (a
    /// stage found published before a crash). Appending a line costs a small write where rewriting a JSON file costs
    /// a new file each time; a line torn by a crash is ignored, like the journal's.
    /// </summary>
    /// <remarks>
    /// Each "ended" and "recovered" line changes a stage's state and carries a number ("seq"); "summary" says that
    /// <c>summary.json</c> has been written with every change up to its number. The changes after the last one written
    /// are <see cref="RunDetails.Unsummarized"/>: a reader applies them to the summary it reads (docs/ARCHITECTURE.md, "Resume": the stage's
    /// state), so the summary may be written less often than stages end without a finished stage being run again.
    /// </remarks>
    internal static class RunDetailsLog
    {
        /// <summary>The file's name in a run folder.</summary>
        public const string FileName = "bookbatch-run.jsonl";

        /// <summary>The details file of earlier BookBatch versions (one JSON object, rewritten at every change); still read.</summary>
        public const string LegacyFileName = "bookbatch-run.json";

        private static readonly JsonSerializerOptions Line = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        /// <summary>
        /// Creates the file with its first line; false when it exists already. Creating it is a new run folder's claim:
        /// two batches starting the same title in the same second cannot both get it.
        /// </summary>
        public static bool TryCreate(string folder, RunDetails details)
        {
            var bytes = Serialize(new RunEvent
            {
                Event = "run", Title = details.Title, Author = details.Author, Created = details.Created,
                Stages = details.Stages.Count == 0 ? null : details.Stages,
            });
            try
            {
                using var stream = new FileStream(Path.Combine(folder, FileName), FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
                stream.Write(bytes, 0, bytes.Length);
                return true;
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, FileName)))
            {
                return false;
            }
        }

        /// <summary>Opens the file of a folder for appending, as a book's job keeps it while it works on the book.</summary>
        public static FileStream OpenForAppend(string folder) =>
            new(Path.Combine(folder, FileName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

        /// <summary>An attempt started.</summary>
        public static void Started(Stream file, string stage, AttemptDetails attempt) => Append(file, new RunEvent
        {
            Event = "attempt", Stage = stage, Attempt = attempt.Attempt, Batch = attempt.Batch, Started = attempt.Started,
            Pid = attempt.Pid, ProcessStarted = attempt.ProcessStarted, ProcessTicks = attempt.ProcessTicks, Token = attempt.Token, Place = attempt.Place,
        });

        /// <summary>An attempt recorded before its process started now names that process.</summary>
        public static void Process(Stream file, string stage, AttemptDetails attempt) => Append(file, new RunEvent
        {
            Event = "process", Stage = stage, Attempt = attempt.Attempt, Pid = attempt.Pid, ProcessStarted = attempt.ProcessStarted,
            ProcessTicks = attempt.ProcessTicks,
        });

        /// <summary>
        /// An attempt's process ended without its host recording how (<see cref="AttemptDetails.Gone"/>): written by the
        /// batch's stage watchdog, or by a host that lost the book, with why in <paramref name="why"/>.
        /// </summary>
        public static void Gone(Stream file, string stage, int attempt, string? token, string why) =>
            Append(file, new RunEvent { Event = "gone", Stage = stage, Attempt = attempt, Token = token, Error = why });

        /// <summary>A cut-off attempt was settled: its verify command or the operator said it did not publish.</summary>
        public static void Reviewed(Stream file, string stage, int attempt, string why) =>
            Append(file, new RunEvent { Event = "reviewed", Stage = stage, Attempt = attempt, Error = why });

        /// <summary>An attempt ended, as change number <paramref name="seq"/>; <paramref name="outputs"/> are the stage's outputs when it succeeded.</summary>
        public static void Ended(Stream file, int seq, string stage, AttemptDetails attempt, Dictionary<string, string?>? outputs) => Append(file, new RunEvent
        {
            Event = "ended", Seq = seq, Stage = stage, Attempt = attempt.Attempt, Ended = attempt.Ended, Result = attempt.Result,
            ExitCode = attempt.ExitCode, Error = attempt.Error, Outputs = outputs,
        });

        /// <summary>A stage was found published (its outputs name a URL) and is not run again, as change number <paramref name="seq"/>.</summary>
        public static void Recovered(Stream file, int seq, string stage, Dictionary<string, string?> outputs) =>
            Append(file, new RunEvent { Event = "recovered", Seq = seq, Stage = stage, Outputs = outputs });

        /// <summary><c>summary.json</c> now has every change up to number <paramref name="seq"/>.</summary>
        public static void Summarized(Stream file, int seq) => Append(file, new RunEvent { Event = "summary", Seq = seq });

        /// <summary>The state a stage's summary entry gets when an attempt ends so.</summary>
        public static string? StateAfter(StageResult result) => result switch
        {
            StageResult.Succeeded => StageStateText.Success,
            StageResult.Canceled or StageResult.Deferred => null, // interrupted or waiting: not done, not failed
            _ => StageStateText.Failed,
        };

        /// <summary>
        /// Reads a folder's details: the event file, else the older single file; null when there is neither (a folder
        /// the old system made) or nothing readable.
        /// </summary>
        public static RunDetails? Read(string folder)
        {
            var bytes = AtomicFile.ReadBytes(Path.Combine(folder, FileName));
            if (bytes is null) return ReadLegacy(folder);
            RunDetails? details = null;
            var changes = new List<(int Seq, string Stage, string? State)>();
            var summarized = 0;
            var text = TextBytes.Json(bytes);
            var start = 0;
            while (start < text.Length)
            {
                var end = text.Span.Slice(start).IndexOf((byte)'\n');
                var line = end < 0 ? text.Slice(start) : text.Slice(start, end);
                start = end < 0 ? text.Length : start + end + 1;
                RunEvent? e;
                try { e = JsonSerializer.Deserialize<RunEvent>(line.Span, Line); }
                catch (JsonException) { continue; } // a line torn by a crash, or a blank one
                if (e is null) continue;
                details = Apply(details, e);
                if (e.Event == "summary" && e.Seq is int written) summarized = Math.Max(summarized, written);
                else if (e.Seq is int seq && !string.IsNullOrEmpty(e.Stage))
                    changes.Add((seq, e.Stage!, e.Event == "recovered" ? StageStateText.Success : StateAfter(ResultOf(e.Result))));
            }
            if (details != null)
            {
                details.LastChange = changes.Count == 0 ? summarized : Math.Max(summarized, changes.Max(c => c.Seq));
                details.Unsummarized = changes.Where(c => c.Seq > summarized).OrderBy(c => c.Seq).Select(c => (c.Stage, c.State)).ToList();
            }
            return details;
        }

        private static StageResult ResultOf(string? text) =>
            Enum.TryParse<StageResult>(text, ignoreCase: true, out var result) ? result : StageResult.Failed;

        private static RunDetails? ReadLegacy(string folder)
        {
            var bytes = AtomicFile.ReadBytes(Path.Combine(folder, LegacyFileName));
            if (bytes is null || bytes.Length == 0) return null;
            try { return JsonSerializer.Deserialize<RunDetails>(TextBytes.Json(bytes).Span, RunDetails.Json); }
            catch (JsonException) { return null; }
        }

        private static RunDetails Apply(RunDetails? details, RunEvent e)
        {
            if (e.Event == "run")
                return new RunDetails { Title = e.Title ?? string.Empty, Author = e.Author, Created = e.Created ?? default, Stages = e.Stages ?? new List<StageDetails>() };
            details ??= new RunDetails();
            if (string.IsNullOrEmpty(e.Stage)) return details;
            var stage = details.Stage(e.Stage!);
            switch (e.Event)
            {
                case "attempt":
                    stage.Attempts.Add(new AttemptDetails
                    {
                        Attempt = e.Attempt ?? stage.Attempts.Count + 1, Batch = e.Batch ?? string.Empty, Started = e.Started ?? default,
                        Pid = e.Pid, ProcessStarted = e.ProcessStarted, ProcessTicks = e.ProcessTicks, Token = e.Token, Place = e.Place,
                    });
                    break;
                case "process":
                    var running = stage.Attempts.LastOrDefault(a => a.Attempt == e.Attempt);
                    if (running != null)
                    {
                        running.Pid = e.Pid;
                        running.ProcessStarted = e.ProcessStarted;
                        running.ProcessTicks = e.ProcessTicks;
                    }
                    break;
                case "gone":
                    var gone = stage.Attempts.LastOrDefault(a => a.Attempt == e.Attempt && (e.Token is null || a.Token == e.Token));
                    if (gone != null) gone.Gone = true;
                    break;
                case "reviewed":
                    var settled = stage.Attempts.LastOrDefault(a => a.Attempt == e.Attempt);
                    if (settled != null) settled.Reviewed = true;
                    break;
                case "ended":
                    var attempt = stage.Attempts.LastOrDefault(a => a.Attempt == e.Attempt);
                    if (attempt is null)
                    {
                        attempt = new AttemptDetails { Attempt = e.Attempt ?? stage.Attempts.Count + 1 };
                        stage.Attempts.Add(attempt);
                    }
                    attempt.Ended = e.Ended;
                    attempt.Result = e.Result;
                    attempt.ExitCode = e.ExitCode;
                    attempt.Error = e.Error;
                    if (e.Outputs != null) stage.Outputs = e.Outputs;
                    break;
                case "recovered":
                    stage.Outputs = e.Outputs;
                    break;
            }
            return details;
        }

        private static void Append(Stream file, RunEvent e)
        {
            var bytes = Serialize(e);
            // At the end as it is now: .NET's FileMode.Append keeps a position of its own (no O_APPEND), so a holder whose
            // book was taken over meanwhile (a freeze past its lease) would otherwise write over the new holder's lines.
            file.Seek(0, SeekOrigin.End);
            file.Write(bytes, 0, bytes.Length);
            // Handed to the operating system at once, as the journal's lines are; not flushed to the disk per line.
            file.Flush();
        }

        private static byte[] Serialize(RunEvent e)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(e, Line);
            var line = new byte[json.Length + 1];
            json.CopyTo(line, 0);
            line[json.Length] = (byte)'\n';
            return line;
        }

        /// <summary>One line of the file: only the fields of its kind are set.</summary>
        internal sealed class RunEvent
        {
            public string Event { get; set; } = string.Empty;
            public string? Title { get; set; }
            public string? Author { get; set; }
            public DateTimeOffset? Created { get; set; }
            public List<StageDetails>? Stages { get; set; }
            public string? Stage { get; set; }
            public int? Seq { get; set; }
            public int? Attempt { get; set; }
            public string? Batch { get; set; }
            public DateTimeOffset? Started { get; set; }
            public DateTimeOffset? Ended { get; set; }
            public string? Result { get; set; }
            public int? ExitCode { get; set; }
            public string? Error { get; set; }
            public Dictionary<string, string?>? Outputs { get; set; }
            public int? Pid { get; set; }
            public DateTimeOffset? ProcessStarted { get; set; }
            public long? ProcessTicks { get; set; }
            public string? Token { get; set; }
            public string? Place { get; set; }
        }
    }
}
