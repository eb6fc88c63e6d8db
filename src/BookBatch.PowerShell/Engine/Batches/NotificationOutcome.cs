using System;
using System.Text.Json;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// One notification of a batch's end, as its journal records it (a <c>notification</c> line) — never the URL's secret
    /// path. A record of the journal, so it lives with the journal; the notifications make it.
    /// </summary>
    public sealed class NotificationOutcome
    {
        internal NotificationOutcome(NotificationTarget target, NotificationResult result, int? statusCode, int? exitCode, string? error, TimeSpan duration)
            : this(target.Name, target.Format, target.Destination, result, statusCode, exitCode, error, duration)
        {
        }

        internal NotificationOutcome(string target, NotificationFormat format, string destination, NotificationResult result, int? statusCode,
            int? exitCode, string? error, TimeSpan duration)
        {
            Target = target;
            Format = format;
            Destination = destination;
            Result = result;
            StatusCode = statusCode;
            ExitCode = exitCode;
            Error = error;
            Duration = duration;
        }

        /// <summary>The target's name in bookbatch.json.</summary>
        public string Target { get; }
        /// <summary>Slack, Teams, Discord, Json or Command.</summary>
        public NotificationFormat Format { get; }
        /// <summary>A webhook's scheme and host (its path is a secret), or the command.</summary>
        public string Destination { get; }
        /// <summary>Sent, Failed or TimedOut.</summary>
        public NotificationResult Result { get; }
        /// <summary>The webhook's HTTP status code, when it answered.</summary>
        public int? StatusCode { get; }
        /// <summary>The command's exit code, when it ended.</summary>
        public int? ExitCode { get; }
        /// <summary>What went wrong, without the URL's path or query.</summary>
        public string? Error { get; }
        /// <summary>How long sending took.</summary>
        public TimeSpan Duration { get; }

        /// <summary>One line for the host: what was sent where, and how it went.</summary>
        public override string ToString() => Result == NotificationResult.Sent
            ? $"Notification '{Target}' ({Format.ToString().ToLowerInvariant()}, {Destination}) sent in {Duration.TotalSeconds:0.0} s."
            : $"Notification '{Target}' ({Format.ToString().ToLowerInvariant()}, {Destination}) was not sent: {Error}. The batch is not affected; fix the target in bookbatch.json's \"{NotificationSettings.Key}\".";

        internal void WriteTo(Utf8JsonWriter w)
        {
            w.WriteString("target", Target);
            w.WriteString("format", Format.ToString().ToLowerInvariant());
            w.WriteString("destination", Destination);
            w.WriteString("result", Result.ToString());
            if (StatusCode is int status) w.WriteNumber("statusCode", status);
            if (ExitCode is int code) w.WriteNumber("exitCode", code);
            if (Error != null) w.WriteString("error", Error);
            w.WriteNumber("milliseconds", (long)Duration.TotalMilliseconds);
        }

        internal static NotificationOutcome? ReadFrom(JsonElement e)
        {
            string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            int? Number(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
            if (Text("target") is not string target || !Enum.TryParse<NotificationFormat>(Text("format"), true, out var format)
                || !Enum.TryParse<NotificationResult>(Text("result"), true, out var result)) return null;
            return new NotificationOutcome(target, format, Text("destination") ?? string.Empty, result, Number("statusCode"), Number("exitCode"),
                Text("error"), TimeSpan.FromMilliseconds(Number("milliseconds") ?? 0));
        }
    }
}
