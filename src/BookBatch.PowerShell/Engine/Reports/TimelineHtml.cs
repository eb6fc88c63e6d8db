using System;
using BookBatch.Engine.Batches;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace BookBatch.Engine.Reports
{
    /// <summary>
    /// Draws a <see cref="Timeline"/> as inline SVG, for the dashboard and the exported report alike: one row per book,
    /// one bar per attempt coloured by stage (a failed attempt outlined in red, a cut-off one dashed, a running one
    /// pale), the book's span a thin line so that its waits show as the gaps between bars. Every text is HTML-encoded:
    /// titles are data.
    /// </summary>
    public static class TimelineHtml
    {
        private const int Width = 1100, LabelWidth = 260, RowHeight = 20, BarHeight = 14, Top = 24;
        private static readonly string[] Colours = { "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac", "#e15759" };

        /// <summary>Encodes text for HTML content and attribute values.</summary>
        public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

        /// <summary>The colour of a stage: by its place in the pipeline.</summary>
        public static string ColourOf(Timeline timeline, string stage)
        {
            var index = timeline.Stages.FindIndex(s => string.Equals(s, stage, StringComparison.OrdinalIgnoreCase));
            return Colours[(index < 0 ? Colours.Length - 1 : index) % Colours.Length];
        }

        /// <summary>The timeline as HTML: a legend of the stages and the SVG.</summary>
        public static string Render(Timeline timeline)
        {
            var span = Math.Max((timeline.End - timeline.Origin).TotalMilliseconds, 1000);
            var msPerPixel = span / (Width - LabelWidth - 10);
            double X(DateTimeOffset t) => LabelWidth + (t - timeline.Origin).TotalMilliseconds / msPerPixel;
            var height = Top + timeline.Rows.Count * RowHeight + 4;
            var html = new StringBuilder();
            html.Append("<div class=\"legend\">");
            foreach (var stage in timeline.Stages)
                html.Append("<span><i style=\"background:").Append(ColourOf(timeline, stage)).Append("\"></i>").Append(Encode(stage)).Append("</span>");
            html.Append("<span><i class=\"failed\"></i>failed</span><span><i class=\"cut\"></i>stopped or timed out</span><span><i class=\"running\"></i>running</span><span><i class=\"wait\"></i>waiting</span></div>");
            if (timeline.RowsLeftOut > 0) html.Append("<p class=\"note\">").Append(timeline.RowsLeftOut.ToString(CultureInfo.InvariantCulture)).Append(" earlier books are not drawn.</p>");
            html.Append(Invariant($"<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" "))
                .Append(Invariant($"data-origin=\"{timeline.Origin.ToUnixTimeMilliseconds()}\" data-ms-per-px=\"{msPerPixel:0.######}\" data-left=\"{LabelWidth}\">"));
            Axis(html, timeline, span, X);
            for (var i = 0; i < timeline.Rows.Count; i++) Row(html, timeline, timeline.Rows[i], Top + i * RowHeight, X);
            html.Append("</svg>");
            return html.ToString();
        }

        private static void Axis(StringBuilder html, Timeline timeline, double span, Func<DateTimeOffset, double> x)
        {
            var step = new[] { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400 }
                .Select(s => s * 1000.0).FirstOrDefault(s => span / s <= 10);
            if (step == 0) step = span / 10;
            for (var t = 0.0; t <= span; t += step)
            {
                var at = x(timeline.Origin.AddMilliseconds(t));
                var label = t < 60_000 ? (t / 1000).ToString("0.#", CultureInfo.InvariantCulture) + " s"
                    : t < 3_600_000 ? (t / 60_000).ToString("0.#", CultureInfo.InvariantCulture) + " min" : (t / 3_600_000).ToString("0.#", CultureInfo.InvariantCulture) + " h";
                html.Append(Invariant($"<line class=\"grid\" x1=\"{at:0.##}\" y1=\"{Top - 6}\" x2=\"{at:0.##}\" y2=\"{Top + timeline.Rows.Count * RowHeight}\"/>"))
                    .Append(Invariant($"<text class=\"tick\" x=\"{at:0.##}\" y=\"{Top - 10}\">{label}</text>"));
            }
        }

        private static void Row(StringBuilder html, Timeline timeline, TimelineRow row, int y, Func<DateTimeOffset, double> x)
        {
            var outcome = row.Outcome ?? (row.Began is null ? "Queued" : "Running");
            html.Append("<g class=\"row\" data-book=\"").Append(Encode(row.Book)).Append("\" data-outcome=\"").Append(Encode(outcome)).Append("\">")
                .Append("<title>").Append(Encode(row.Book)).Append(" — ").Append(Encode(outcome));
            if (!string.IsNullOrEmpty(row.Reason)) html.Append(": ").Append(Encode(row.Reason));
            html.Append("</title>")
                .Append(Invariant($"<text class=\"label {outcome.ToLowerInvariant()}\" x=\"4\" y=\"{y + BarHeight - 2}\">"))
                .Append(Encode(Shorten(row.Index.ToString(CultureInfo.InvariantCulture) + ". " + row.Book, 40))).Append("</text>");
            if (row.Began is DateTimeOffset began)
            {
                var end = row.Finished ?? timeline.End;
                html.Append(Invariant($"<rect class=\"wait\" x=\"{x(began):0.##}\" y=\"{y + BarHeight / 2 - 1}\" width=\"{Math.Max(x(end) - x(began), 1):0.##}\" height=\"2\"/>"));
            }
            foreach (var bar in row.Bars) Bar(html, timeline, row, bar, y, x);
            html.Append("</g>");
        }

        private static void Bar(StringBuilder html, Timeline timeline, TimelineRow row, AttemptRecord bar, int y, Func<DateTimeOffset, double> x)
        {
            var end = bar.Ended ?? timeline.End;
            var kind = bar.Result switch
            {
                null => "running",
                "Succeeded" => "ok",
                "Failed" => "failed",
                "Deferred" => "deferred",
                _ => "cut",
            };
            var seconds = (end - bar.Started).TotalSeconds;
            html.Append(Invariant($"<rect class=\"bar {kind}\" x=\"{x(bar.Started):0.##}\" y=\"{y + 1}\" width=\"{Math.Max(x(end) - x(bar.Started), 1.5):0.##}\" height=\"{BarHeight - 2}\" "))
                .Append("fill=\"").Append(ColourOf(timeline, bar.Stage)).Append("\" data-stage=\"").Append(Encode(bar.Stage))
                .Append(Invariant($"\" data-attempt=\"{bar.Attempt}\" data-start=\"{bar.Started.ToUnixTimeMilliseconds()}\""))
                .Append(bar.Ended is DateTimeOffset ended ? Invariant($" data-end=\"{ended.ToUnixTimeMilliseconds()}\"") : string.Empty)
                .Append(" data-result=\"").Append(Encode(bar.Result ?? "Running")).Append("\"><title>")
                .Append(Encode($"{row.Book}: {bar.Stage}, attempt {bar.Attempt}, {bar.Result ?? "running"}, {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s"))
                .Append(string.IsNullOrEmpty(bar.Error) ? string.Empty : " — " + Encode(bar.Error)).Append("</title></rect>");
        }

        private static string Shorten(string text, int length) => text.Length <= length ? text : text.Substring(0, length - 1) + "…";

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
