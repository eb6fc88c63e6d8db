using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace BookBatch.Engine.Schedules
{
    /// <summary>
    /// A registered schedule, as its record in the workspace (<c>schedules/&lt;name&gt;.json</c>) keeps it: what runs,
    /// when, where it is registered, and the files that define it.
    /// </summary>
    public sealed class BookBatchSchedule
    {
        internal BookBatchSchedule(ScheduleDefinition definition, IReadOnlyList<string> definitionFiles, DateTimeOffset registered)
        {
            Definition = definition;
            DefinitionFiles = definitionFiles;
            Registered = registered;
        }

        /// <summary>The schedule's name.</summary>
        public string Name => Definition.Name;
        /// <summary>The time of day it runs.</summary>
        public TimeSpan At => Definition.At;
        /// <summary>"daily", or the days it runs.</summary>
        public string Days => Definition.Days;
        /// <summary>Where it is registered.</summary>
        public Scheduler Scheduler => Definition.Scheduler;
        /// <summary>The book list it reads (empty for a worker).</summary>
        public string BookList => Definition.BookList;
        /// <summary>True for a worker started with the machine (Start-BookBatchWorker), not a batch at a time.</summary>
        public bool IsWorker => Definition.IsWorker;
        /// <summary>The workspace.</summary>
        public string Workspace => Definition.Workspace;
        /// <summary>The program the scheduler starts.</summary>
        public string PowerShell => Definition.PowerShell;
        /// <summary>Its arguments.</summary>
        public IReadOnlyList<string> Arguments => Definition.Arguments;
        /// <summary>The generated script it runs.</summary>
        public string Script => Definition.ScriptPath;
        /// <summary>The folder of the runs' logs.</summary>
        public string LogFolder => Definition.LogFolder;
        /// <summary>The files that define it for its scheduler (task XML, unit files).</summary>
        public IReadOnlyList<string> DefinitionFiles { get; }
        /// <summary>When it was registered.</summary>
        public DateTimeOffset Registered { get; }
        /// <summary>Everything about it.</summary>
        public ScheduleDefinition Definition { get; }

        /// <summary>The record's text.</summary>
        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                var d = Definition;
                w.WriteStartObject();
                w.WriteString("name", d.Name);
                w.WriteString("workspace", d.Workspace);
                w.WriteString("bookList", d.BookList);
                w.WriteString("at", d.At.ToString(@"hh\:mm", CultureInfo.InvariantCulture));
                w.WriteStartArray("daysOfWeek");
                foreach (var day in d.DaysOfWeek) w.WriteStringValue(day.ToString());
                w.WriteEndArray();
                w.WriteString("scheduler", d.Scheduler.ToString());
                w.WriteString("powerShell", d.PowerShell);
                w.WriteString("module", d.Module);
                if (d.Privacy != null) w.WriteString("privacy", d.Privacy);
                if (d.ThrottleLimit is int throttle) w.WriteNumber("throttleLimit", throttle);
                if (d.WorkerGraceSeconds is int grace) w.WriteNumber("workerGraceSeconds", grace);
                if (d.MailTo.Count > 0)
                {
                    w.WriteStartArray("mailTo");
                    foreach (var address in d.MailTo) w.WriteStringValue(address);
                    w.WriteEndArray();
                }
                w.WriteStartArray("definitionFiles");
                foreach (var file in DefinitionFiles) w.WriteStringValue(file);
                w.WriteEndArray();
                w.WriteString("registered", Registered);
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        }

        /// <summary>Every schedule recorded in a workspace, by name; a record that cannot be read is reported through <paramref name="unreadable"/>.</summary>
        public static IReadOnlyList<BookBatchSchedule> ReadAll(string workspace, Action<string, Exception> unreadable)
        {
            var folder = Path.Combine(workspace, ScheduleDefinition.FolderName);
            if (!Directory.Exists(folder)) return Array.Empty<BookBatchSchedule>();
            var schedules = new List<BookBatchSchedule>();
            foreach (var path in Directory.GetFiles(folder, "*.json").OrderBy(p => p, StringComparer.OrdinalIgnoreCase))
            {
                try { schedules.Add(Read(path)); }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or IOException)
                {
                    unreadable(path, e);
                }
            }
            return schedules;
        }

        private static BookBatchSchedule Read(string path)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var e = doc.RootElement;
            string Text(string name) => e.GetProperty(name).GetString() ?? throw new FormatException($"\"{name}\" is empty");
            string? Optional(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var definition = new ScheduleDefinition(Text("name"), Text("workspace"), Text("bookList"),
                TimeSpan.ParseExact(Text("at"), @"hh\:mm", CultureInfo.InvariantCulture),
                e.GetProperty("daysOfWeek").EnumerateArray().Select(d => (DayOfWeek)Enum.Parse(typeof(DayOfWeek), d.GetString()!)),
                Text("powerShell"), Text("module"), (Scheduler)Enum.Parse(typeof(Scheduler), Text("scheduler")), Optional("privacy"),
                e.TryGetProperty("throttleLimit", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt32() : null,
                e.TryGetProperty("mailTo", out var m) && m.ValueKind == JsonValueKind.Array ? m.EnumerateArray().Select(a => a.GetString()!) : null,
                e.TryGetProperty("workerGraceSeconds", out var g) && g.ValueKind == JsonValueKind.Number ? g.GetInt32() : null);
            return new BookBatchSchedule(definition, e.GetProperty("definitionFiles").EnumerateArray().Select(f => f.GetString()!).ToList(),
                e.GetProperty("registered").GetDateTimeOffset());
        }
    }
}
