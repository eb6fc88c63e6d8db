using System.Globalization;
using System.Text;

namespace BookBatch.Engine.Reports
{
    /// <summary>What the dashboard and the exported report share besides the timeline: the style sheet and a batch's counts and failures.</summary>
    public static class PageParts
    {
        /// <summary>The style sheet of both pages, inlined (nothing is fetched from the network).</summary>
        public const string Css = @"
body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 8px} h2{font-size:16px;margin:18px 0 6px} .note{color:#666;font-size:12px}
table{border-collapse:collapse;margin:4px 0 8px;background:#fff} th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0} td.n{text-align:right} pre{margin:2px 0;font-size:12px;white-space:pre-wrap;max-width:900px;background:#f4f4f4;padding:4px}
.running{color:#1f6fb2} .slot,.quota,.retry{color:#a65e00} .review{color:#b00020;font-weight:bold} .failed,.Failed{color:#b00020}
.legend span{margin-right:12px;font-size:12px} .legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle;border:1px solid #999}
.legend i.failed{border:2px solid #d00} .legend i.cut{border:2px dashed #333} .legend i.running{opacity:.45;background:#4e79a7} .legend i.wait{height:2px;background:#999;border:0}
svg.timeline{background:#fff;border:1px solid #ddd} svg .grid{stroke:#eee} svg .tick{font-size:10px;fill:#888;text-anchor:middle}
svg .label{font-size:11px;fill:#333} svg .label.failed{fill:#b00020} svg .label.skipped{fill:#888} svg .wait{fill:#bbb}
svg .bar.failed{stroke:#d00;stroke-width:2} svg .bar.cut{stroke:#333;stroke-width:1.5;stroke-dasharray:3 2} svg .bar.running{opacity:.45} svg .bar.deferred{opacity:.6;stroke:#a65e00}
";

        /// <summary>A batch's counts as an HTML table.</summary>
        public static string Counts(BatchView batch)
        {
            var html = new StringBuilder("<table class=\"counts\"><tr><th>planned</th><th>finished</th><th>success</th><th>resumed</th><th>failed</th><th>skipped</th><th>published</th></tr><tr>");
            foreach (var n in new[] { batch.Planned, batch.Finished, batch.Success, batch.Resumed, batch.Failed, batch.Skipped })
                html.Append("<td class=\"n\">").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</td>");
            html.Append("<td class=\"n\">").Append(batch.SuccessPercent.ToString("0.#", CultureInfo.InvariantCulture)).Append(" %</td></tr></table>");
            return html.ToString();
        }

        /// <summary>A batch's failed books with their reasons and logs' tails, as an HTML table.</summary>
        public static string Failures(BatchView batch)
        {
            if (batch.Failures.Count == 0) return "<p class=\"note\">No book failed.</p>";
            var html = new StringBuilder("<table class=\"failures\"><tr><th>book</th><th>stage</th><th>reason</th></tr>");
            foreach (var failure in batch.Failures)
            {
                html.Append("<tr><td>").Append(TimelineHtml.Encode(failure.Book)).Append("</td><td>").Append(TimelineHtml.Encode(failure.Stage))
                    .Append("</td><td>").Append(TimelineHtml.Encode(failure.Error));
                if (!string.IsNullOrEmpty(failure.LogTail)) html.Append("<pre>").Append(TimelineHtml.Encode(failure.LogTail)).Append("</pre>");
                html.Append("</td></tr>");
            }
            return html.Append("</table>").ToString();
        }
    }
}
