using System;
using System.Globalization;
using System.Linq;
using System.Text;
using BookBatch.Engine.Reports;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>
    /// The dashboard's HTML: the page (style and a short script that takes the server's events) and its body, drawn
    /// here from a snapshot and sent whole at every change, so that every text is encoded in one place.
    /// </summary>
    public static class DashboardHtml
    {
        private static string E(string? text) => TimelineHtml.Encode(text);

        /// <summary>The page: it asks <c>events</c> for the body and replaces it at every event (the token, if any, is passed on).</summary>
        public static string Page(string nonce) => @"<!DOCTYPE html>
<html lang=""en""><head><meta charset=""utf-8""><title>BookBatch dashboard</title>
<meta http-equiv=""Content-Security-Policy"" content=""default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-" + nonce + @"'; connect-src 'self'; img-src data:"">
<style>" + PageParts.Css + @"#status{float:right;font-size:12px;color:#666}</style></head>
<body><span id=""status"">connecting…</span><div id=""main""><p class=""note"">Reading the workspace…</p></div>
<script nonce=""" + nonce + @""">
(function(){
  var token = new URLSearchParams(location.search).get('token');
  var status = document.getElementById('status'), main = document.getElementById('main');
  var source = new EventSource('events' + (token ? '?token=' + encodeURIComponent(token) : ''));
  source.onmessage = function(e){
    var m = JSON.parse(e.data);
    var open = Array.prototype.map.call(main.querySelectorAll('details[open]'), function(d){ return d.id; });
    main.innerHTML = m.html;
    open.forEach(function(id){ var d = document.getElementById(id); if (d) d.open = true; });
    status.textContent = 'live · read ' + m.taken;
  };
  source.onerror = function(){ status.textContent = 'reconnecting…'; };
})();
</script></body></html>
";

        /// <summary>The body for a snapshot: books in flight, stages, batches, history.</summary>
        public static string Body(WorkspaceSnapshot snapshot)
        {
            var html = new StringBuilder();
            html.Append("<h1>BookBatch · ").Append(E(snapshot.Workspace)).Append("</h1>");
            if (snapshot.Problem != null) html.Append("<p class=\"review\">").Append(E(snapshot.Problem)).Append("</p>");
            Workers(html, snapshot);
            Books(html, snapshot);
            Stages(html, snapshot);
            Batches(html, snapshot);
            History(html, snapshot);
            return html.ToString();
        }

        // The queue's workers, when there are any or the queue is paused: where each runs, what it does, its last heartbeat.
        private static void Workers(StringBuilder html, WorkspaceSnapshot snapshot)
        {
            if (snapshot.Workers.Count == 0 && snapshot.QueuePausedSince is null) return;
            html.Append("<h2>Workers</h2>");
            if (snapshot.QueuePausedSince is DateTimeOffset paused)
                html.Append("<p class=\"review\" id=\"queue-paused\">The queue is paused since ")
                    .Append(E(paused.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))).Append(": no worker starts a book (Resume-BookBatchQueue).</p>");
            if (snapshot.Workers.Count == 0) return;
            html.Append("<table id=\"workers\"><tr><th>server</th><th>process</th><th>doing</th><th>books</th><th>batch</th><th>last heartbeat</th></tr>");
            foreach (var worker in snapshot.Workers)
                html.Append("<tr data-worker=\"").Append(E(worker.Id)).Append("\" data-activity=\"").Append(E(worker.Activity.ToString())).Append("\"><td>")
                    .Append(E(worker.Server)).Append("</td><td class=\"n\">").Append(worker.ProcessId.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(worker.Activity.ToString().ToLowerInvariant())).Append("</td><td class=\"n\">").Append(worker.Books.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(worker.Batch ?? "")).Append("</td><td class=\"n\">")
                    .Append(Duration(Math.Max(0, (snapshot.Taken - worker.Heartbeat).TotalSeconds))).Append(" ago</td></tr>");
            html.Append("</table>");
        }

        private static void Books(StringBuilder html, WorkspaceSnapshot snapshot)
        {
            html.Append("<h2>Books in flight</h2>");
            if (snapshot.Books.Count == 0)
            {
                html.Append("<p class=\"note\" id=\"no-books\">No batch is working on a book.</p>");
                return;
            }
            html.Append("<table id=\"books\"><tr><th>book</th><th>batch</th><th>stage</th><th>doing or waiting for</th><th>elapsed</th><th>ETA</th></tr>");
            foreach (var book in snapshot.Books)
            {
                html.Append("<tr class=\"").Append(E(book.State)).Append("\" data-title=\"").Append(E(book.Title)).Append("\" data-stage=\"").Append(E(book.Stage))
                    .Append("\" data-state=\"").Append(E(book.State)).Append("\"><td>").Append(E(book.Title))
                    .Append(book.Author is null ? string.Empty : " <span class=\"note\">" + E(book.Author) + "</span>")
                    .Append("</td><td>").Append(E(book.Batch)).Append("</td><td>").Append(E(book.Stage)).Append("</td><td>").Append(E(book.Text))
                    .Append("</td><td class=\"n\">").Append(Duration(book.Elapsed)).Append("</td><td class=\"n\">").Append(book.Eta is double eta ? Duration(eta) : "").Append("</td></tr>");
            }
            html.Append("</table>");
        }

        private static void Stages(StringBuilder html, WorkspaceSnapshot snapshot)
        {
            html.Append("<h2>Stages</h2><table id=\"stages\"><tr><th>stage</th><th>places in use</th><th>rate</th><th>starts in window</th><th>closed until</th></tr>");
            foreach (var stage in snapshot.Stages)
            {
                html.Append("<tr data-stage=\"").Append(E(stage.Name)).Append("\" data-in-use=\"").Append(stage.InUse.ToString(CultureInfo.InvariantCulture)).Append("\"><td>")
                    .Append(E(stage.Name)).Append(stage.Publishing ? " <span class=\"note\">publishes</span>" : "").Append("</td><td class=\"n inuse\">")
                    .Append(stage.InUse.ToString(CultureInfo.InvariantCulture)).Append(" / ").Append(stage.Concurrency == 0 ? "∞" : stage.Concurrency.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(stage.Rate ?? "—")).Append("</td><td class=\"n\">").Append(stage.Rate is null ? "" : stage.StartsInWindow.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(stage.ClosedUntil is DateTimeOffset until ? E(until.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) : "").Append("</td></tr>");
            }
            html.Append("</table>");
        }

        private static void Batches(StringBuilder html, WorkspaceSnapshot snapshot)
        {
            html.Append("<h2>Batches</h2>");
            if (snapshot.Batches.Count == 0) html.Append("<p class=\"note\">No batch yet.</p>");
            for (var i = 0; i < snapshot.Batches.Count; i++)
            {
                var batch = snapshot.Batches[i];
                var state = batch.Running ? "running" : batch.Interrupted ? "interrupted" : "ended";
                html.Append("<details id=\"batch-").Append(E(batch.Id)).Append("\" class=\"batch\" data-batch=\"").Append(E(batch.Id)).Append("\" data-state=\"").Append(state).Append('"')
                    .Append(i == 0 ? " open" : "").Append("><summary><b>").Append(E(batch.Id)).Append("</b> · ").Append(state).Append(" · ")
                    .Append(batch.Finished.ToString(CultureInfo.InvariantCulture)).Append(" of ").Append(batch.Planned.ToString(CultureInfo.InvariantCulture))
                    .Append(" (").Append(batch.Percent.ToString("0.#", CultureInfo.InvariantCulture)).Append(" %)")
                    .Append(batch.Failed > 0 ? " · <span class=\"failed\">" + batch.Failed.ToString(CultureInfo.InvariantCulture) + " failed</span>" : "")
                    .Append("</summary>").Append(PageParts.Counts(batch)).Append(PageParts.Failures(batch)).Append(batch.TimelineHtml).Append("</details>");
            }
        }

        private static void History(StringBuilder html, WorkspaceSnapshot snapshot)
        {
            html.Append("<h2>History</h2><table id=\"history\"><tr><th>day</th><th>batches</th><th>books</th><th>published</th><th>failed</th><th>batch ids</th></tr>");
            foreach (var day in snapshot.History)
            {
                html.Append("<tr><td>").Append(E(day.Day)).Append("</td><td class=\"n\">").Append(day.Batches.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"n\">").Append(day.Books.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"n\">").Append(day.Published.ToString(CultureInfo.InvariantCulture))
                    .Append(snapshot.QuotaPerDay is double quota ? " / " + quota.ToString("0.#", CultureInfo.InvariantCulture) + " quota" : "")
                    .Append("</td><td class=\"n\">").Append(day.Failed.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"note\">")
                    .Append(string.Join(" ", day.Ids.Select(id => "<span class=\"batch-id\">" + E(id) + "</span>"))).Append("</td></tr>");
            }
            html.Append("</table>");
            if (snapshot.FailingBooks.Count == 0) return;
            html.Append("<h2>Books that fail again and again</h2><table id=\"failing\"><tr><th>book</th><th>batches failed</th><th>last error</th></tr>");
            foreach (var book in snapshot.FailingBooks)
                html.Append("<tr><td>").Append(E(book.Book)).Append("</td><td class=\"n\">").Append(book.Failures.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td>").Append(E(book.LastError)).Append("</td></tr>");
            html.Append("</table>");
        }

        private static string Duration(double seconds) =>
            seconds < 120 ? seconds.ToString("0", CultureInfo.InvariantCulture) + " s"
            : seconds < 7200 ? (seconds / 60).ToString("0", CultureInfo.InvariantCulture) + " min"
            : (seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture) + " h";
    }
}
