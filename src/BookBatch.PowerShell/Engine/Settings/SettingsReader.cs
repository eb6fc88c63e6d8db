using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// Reads the values of <c>bookbatch.json</c>, every section alike: a value of the wrong kind or out of its range is
    /// a <see cref="SettingsInvalidException"/> naming its key (<c>stages[2].retries</c>) and what it must be; an absent
    /// or null value is the fallback.
    /// </summary>
    internal sealed class SettingsReader
    {
        /// <summary>The longest any number of seconds may be: a week.</summary>
        private const double MostSeconds = 7 * 24 * 3600;

        public SettingsReader(string path) => Path = path;

        /// <summary>The settings file.</summary>
        public string Path { get; }

        /// <summary>A value's full key: <paramref name="name"/> under <paramref name="parent"/> ("" at the top).</summary>
        public static string Key(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

        public SettingsInvalidException Invalid(string key, string problem) => new(Path, key, problem);

        /// <summary>
        /// Refuses a key its level does not know (a misspelt "retries" would otherwise be silently ignored), naming the
        /// nearest known one; <paramref name="parent"/> is the level's key ("" at the top).
        /// </summary>
        public void KnownKeys(JsonElement obj, IReadOnlyList<string> known, string parent)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (known.Contains(property.Name, StringComparer.Ordinal)) continue;
                throw Invalid(Key(parent, property.Name), "is not a setting; " + DidYouMean(property.Name, known, "\"{0}\"", "the keys here are " + string.Join(", ", known)));
            }
        }

        /// <summary>Refuses an argument with a placeholder that is not one of <see cref="Placeholders.Names"/>, suggesting the nearest.</summary>
        public void KnownPlaceholders(IReadOnlyList<string> arguments, string parent)
        {
            for (var a = 0; a < arguments.Count; a++)
                foreach (var unknown in Placeholders.Unknown(arguments[a]))
                    throw Invalid($"{parent}.arguments[{a}]", $"uses the unknown placeholder {unknown}; "
                        + DidYouMean(unknown.Trim('{', '}'), Placeholders.Names, "{{{0}}}", "the placeholders are {" + string.Join("}, {", Placeholders.Names) + "}"));
        }

        // "did you mean X? (the list)" when a known name is near, else just the list; format quotes the name.
        private static string DidYouMean(string name, IEnumerable<string> known, string format, string list) =>
            NearestName.Of(name, known) is { } nearest ? $"did you mean {string.Format(System.Globalization.CultureInfo.InvariantCulture, format, nearest)}? ({list})" : list;

        /// <summary>Refuses a value that is not a JSON object; <paramref name="example"/> shows one.</summary>
        public void RequireObject(JsonElement value, string key, string example)
        {
            if (value.ValueKind != JsonValueKind.Object) throw Invalid(key, "must be an object such as " + example);
        }

        public string? String(JsonElement obj, string name, string? fallback, string parent = "")
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            if (value.ValueKind != JsonValueKind.String) throw Invalid(Key(parent, name), "must be a string");
            return value.GetString();
        }

        /// <summary>An array of strings (<paramref name="shape"/> says what it must be); with <paramref name="single"/>, one string stands for an array of one.</summary>
        public IReadOnlyList<string> Strings(JsonElement obj, string name, string parent, string shape = "an array of strings",
            IReadOnlyList<string>? fallback = null, bool single = false)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback ?? Array.Empty<string>();
            if (single && value.ValueKind == JsonValueKind.String) return new[] { value.GetString()! };
            if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
                throw Invalid(Key(parent, name), "must be " + shape);
            return value.EnumerateArray().Select(v => v.GetString()!).ToList();
        }

        public IReadOnlyList<int>? Integers(JsonElement obj, string name, string parent)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            var list = new List<int>();
            if (value.ValueKind == JsonValueKind.Array)
                foreach (var item in value.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var code)) list.Add(code);
                    else { list = null; break; }
            if (list is null || value.ValueKind != JsonValueKind.Array)
                throw Invalid(Key(parent, name), "must be an array of exit codes (whole numbers)");
            return list;
        }

        public bool? Boolean(JsonElement obj, string name, string parent)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.True && value.ValueKind != JsonValueKind.False)
                throw Invalid(Key(parent, name), "must be true or false");
            return value.GetBoolean();
        }

        public int Integer(JsonElement obj, string name, int fallback, int min, int max, string parent = "")
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
                throw Invalid(Key(parent, name), $"must be a whole number from {min} to {max}");
            return number;
        }

        /// <summary>A number of seconds, at most <paramref name="most"/> (a week when not said).</summary>
        public TimeSpan Seconds(JsonElement obj, string name, double fallback, bool allowZero, string parent = "", double most = MostSeconds)
        {
            if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return TimeSpan.FromSeconds(fallback);
            var largest = most < MostSeconds ? $"{most:0.###}" : $"{most:0} (a week)";
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds > most)
                throw Invalid(Key(parent, name), $"is {seconds:0.###} seconds, but it must be at most {largest}, the largest allowed; write {largest} or less");
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out seconds) || seconds < 0 || (!allowZero && seconds == 0))
                throw Invalid(Key(parent, name), (allowZero ? "must be a number of seconds, 0 or more," : "must be a number of seconds greater than 0")
                    + $" and at most {largest}");
            return TimeSpan.FromSeconds(seconds);
        }

        /// <summary>One of the words of <paramref name="choices"/> (in any case), as its value.</summary>
        public T Choice<T>(string value, string key, Dictionary<string, T> choices) =>
            choices.TryGetValue(value, out var chosen) ? chosen : throw Invalid(key, $"'{value}' is not one of {string.Join(", ", choices.Keys)}");
    }
}
