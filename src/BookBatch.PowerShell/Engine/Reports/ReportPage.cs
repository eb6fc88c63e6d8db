using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace BookBatch.Engine.Reports
{
    /// <summary>The exported report of one batch or more: one self-contained HTML file (inline style, no script, nothing from the network).</summary>
    public static class ReportPage
    {
        /// <summary>The report's HTML of one batch.</summary>
        public static string Render(BatchView batch, Timeline timeline, string workspace) => Render(new[] { (batch, timeline) }, workspace);

        /// <summary>The report's HTML of several batches, in the order given (newest first), each with its counts, failures and timeline.</summary>
        public static string Render(IReadOnlyList<(BatchView Batch, Timeline Timeline)> batches, string workspace)
        {
            var one = batches.Count == 1;
            var title = one ? "BookBatch batch " + batches[0].Batch.Id : $"BookBatch batches {batches[batches.Count - 1].Batch.Id} to {batches[0].Batch.Id}";
            var html = new StringBuilder()
                .Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .Append("<title>").Append(TimelineHtml.Encode(title)).Append("</title><style>").Append(PageParts.Css).Append("</style></head><body>")
                .Append("<h1>").Append(TimelineHtml.Encode(title)).Append("</h1>")
                .Append("<p class=\"note\">Workspace ").Append(TimelineHtml.Encode(workspace));
            if (one) html.Append(" · ").Append(StartAndState(batches[0].Batch));
            else html.Append(" · ").Append(batches.Count.ToString(CultureInfo.InvariantCulture)).Append(" batches, newest first");
            html.Append(" · report written ").Append(TimelineHtml.Encode(DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture))).Append("</p>");
            foreach (var (batch, timeline) in batches)
            {
                var heading = one ? "h2" : "h3";
                if (!one)
                    html.Append("<h2>Batch ").Append(TimelineHtml.Encode(batch.Id)).Append("</h2><p class=\"note\">").Append(StartAndState(batch)).Append("</p>");
                html.Append('<').Append(heading).Append(">Counts</").Append(heading).Append('>').Append(PageParts.Counts(batch))
                    .Append('<').Append(heading).Append(">Failures</").Append(heading).Append('>').Append(PageParts.Failures(batch))
                    .Append('<').Append(heading).Append(">Timeline</").Append(heading).Append('>').Append(TimelineHtml.Render(timeline));
            }
            return html.Append("</body></html>\n").ToString();
        }

        // "started 2024-05-01 10:00:00 +02:00 · ended"
        private static string StartAndState(BatchView batch) =>
            "started " + TimelineHtml.Encode(batch.Started?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)) + " · "
            + (batch.Running ? "running" : batch.Interrupted ? "interrupted" : "ended");
    }
}
