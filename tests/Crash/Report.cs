using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace BookBatch.Crash
{
    /// <summary>One figure of a scenario: a count against its limit, or information (no limit).</summary>
    internal sealed record Figure(string Name, string Measured, string Limit, bool? Held);

    /// <summary>What a scenario measured: detail rows, figures (counts against limits) and notes.</summary>
    internal sealed class Report
    {
        private readonly List<string[]> _rows = new();

        public Report(string name, string setup)
        {
            Name = name;
            Setup = setup;
        }

        public string Name { get; }
        public string Setup { get; }
        public List<Figure> Figures { get; } = new();
        public List<string> Notes { get; } = new();
        public string[]? Header { get; set; }
        public TimeSpan Duration { get; set; }
        public string? Folder { get; set; }
        /// <summary>The scenario could not measure (a setup fault): it counts as broken.</summary>
        public string? Error { get; set; }
        /// <summary>
        /// Why the scenario did not run at all (this machine lacks what it needs): neither held nor broken, so that a
        /// machine without it neither passes nor fails it.
        /// </summary>
        public string? NotRun { get; set; }

        public bool Held => NotRun is null && Error is null && Figures.All(f => f.Held != false);

        public bool Failed => NotRun is null && !Held;

        public IEnumerable<Figure> Broken => Figures.Where(f => f.Held == false);

        public void Row(params object[] cells) => _rows.Add(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray());

        /// <summary>A count that must not exceed <paramref name="max"/>.</summary>
        public void AtMost(string name, long measured, long max) =>
            Figures.Add(new Figure(name, measured.ToString(CultureInfo.InvariantCulture), "<= " + max.ToString(CultureInfo.InvariantCulture), measured <= max));

        /// <summary>A count that must reach <paramref name="min"/>: the scenario did what it says (so many kills, say).</summary>
        public void AtLeast(string name, long measured, long min) =>
            Figures.Add(new Figure(name, measured.ToString(CultureInfo.InvariantCulture), ">= " + min.ToString(CultureInfo.InvariantCulture), measured >= min));

        /// <summary>
        /// Durations whose longest must not exceed <paramref name="maxMs"/>: shown as the longest, the median and how many.
        /// None measured is shown for information (nothing to hold or break).
        /// </summary>
        public void LongestAtMost(string name, IReadOnlyList<long> ms, long maxMs)
        {
            var limit = $"<= {maxMs.ToString(CultureInfo.InvariantCulture)} ms";
            if (ms.Count == 0)
            {
                Figures.Add(new Figure(name, "none measured", limit, null));
                return;
            }
            var sorted = ms.OrderBy(x => x).ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
            Figures.Add(new Figure(name, FormattableString.Invariant($"longest {sorted[^1]} ms, median {median} ms, {sorted.Count} measured"), limit, sorted[^1] <= maxMs));
        }

        /// <summary>A count that must be exactly <paramref name="expected"/>.</summary>
        public void Exactly(string name, long measured, long expected) =>
            Figures.Add(new Figure(name, measured.ToString(CultureInfo.InvariantCulture), "= " + expected.ToString(CultureInfo.InvariantCulture), measured == expected));

        /// <summary>A figure shown for information: no promise depends on it.</summary>
        public void Info(string name, object measured) =>
            Figures.Add(new Figure(name, Convert.ToString(measured, CultureInfo.InvariantCulture) ?? "", "", null));

        public void Print()
        {
            var o = Console.Out;
            o.WriteLine();
            o.WriteLine($"== {Name}: {Setup}");
            if (NotRun != null)
            {
                o.WriteLine($"  -> {Name}: not run ({NotRun})");
                return;
            }
            if (Header != null && _rows.Count > 0)
            {
                o.Write(Table(new[] { Header }.Concat(_rows).ToList(), "  "));
                o.WriteLine();
            }
            var lines = new List<string[]> { new[] { "figure", "measured", "limit", "" } };
            foreach (var f in Figures) lines.Add(new[] { f.Name, f.Measured, f.Limit, f.Held switch { true => "held", false => "BROKEN", null => "(info)" } });
            o.Write(Table(lines, "  "));
            foreach (var note in Notes) o.WriteLine("  note: " + note);
            if (Error != null) o.WriteLine("  ERROR: " + Error);
            o.WriteLine($"  -> {Name}: {(Held ? "held" : "BROKEN")} ({Duration.TotalSeconds:0} s){(Folder is null ? "" : ", files in " + Folder)}");
        }

        public static string Table(IReadOnlyList<string[]> rows, string indent)
        {
            var columns = rows.Max(r => r.Length);
            var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
            var sb = new StringBuilder();
            foreach (var r in rows)
            {
                sb.Append(indent);
                for (var c = 0; c < r.Length; c++)
                {
                    sb.Append(c == r.Length - 1 ? r[c] : r[c].PadRight(widths[c] + 2));
                }
                sb.Append('\n');
            }
            return sb.ToString();
        }
    }
}
