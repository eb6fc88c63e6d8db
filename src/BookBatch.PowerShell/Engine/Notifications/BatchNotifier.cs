using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Credentials;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Notifications
{
    /// <summary>
    /// Tells the targets of bookbatch.json's <c>notifications</c> that a batch ended, once its journal has its end: every
    /// target due at once, each within its time-out, so the batch's end waits at most for the slowest time-out (30 s at
    /// the most, 5 s by default) and never fails. Each attempt is a <c>notification</c> line of the journal and goes to
    /// the observer (the cmdlet warns of a failure).
    /// </summary>
    public sealed class BatchNotifier : IBatchEndNotifier
    {
        // A send that ignores its cancellation (a DNS lookup does, on some runtimes) is left behind this much later.
        private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

        private readonly NotificationSettings _settings;
        private readonly string _workspace;
        private readonly BatchJournal _journal;
        private readonly IBatchObserver _observer;
        private readonly MailCredentialStore? _credentials;

        /// <summary>
        /// Notifies the targets of <paramref name="settings"/> of the end of a batch of <paramref name="workspace"/>, writing
        /// each attempt to <paramref name="journal"/> and <paramref name="observer"/>; a mail login's stored password comes
        /// from <paramref name="credentials"/> (the current user's when null).
        /// </summary>
        public BatchNotifier(NotificationSettings settings, string workspace, BatchJournal journal, IBatchObserver observer, MailCredentialStore? credentials = null)
        {
            _settings = settings;
            _workspace = workspace;
            _journal = journal;
            _observer = observer;
            _credentials = credentials;
        }

        /// <inheritdoc />
        public Task BatchEndedAsync(BatchSummary summary, string? error) => NotifyAsync(new BatchEnd(summary, _workspace, _journal.Path, error));

        /// <summary>Sends to every target due for this end; returns how each went.</summary>
        public async Task<IReadOnlyList<NotificationOutcome>> NotifyAsync(BatchEnd end)
        {
            var due = _settings.Targets.Where(t => end.IsDueFor(t)).ToList();
            if (due.Count == 0) return Array.Empty<NotificationOutcome>();
            var outcomes = await Task.WhenAll(due.Select(t => SendAsync(t, end, _credentials))).ConfigureAwait(false);
            foreach (var outcome in outcomes)
            {
                try { _journal.Write("notification", outcome.WriteTo); }
                catch (Exception e) when (e is System.IO.IOException or ObjectDisposedException) { } // the batch's own record is complete
                _observer.NotificationEnded(outcome);
            }
            return outcomes;
        }

        /// <summary>
        /// Sends to one target, never longer than its time-out (and a short grace), never throwing; a mail login without a
        /// password variable takes its password from <paramref name="credentials"/> (the current user's when null).
        /// </summary>
        public static async Task<NotificationOutcome> SendAsync(NotificationTarget target, BatchEnd end, MailCredentialStore? credentials = null)
        {
            var clock = Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(target.Timeout);
            var body = target.Mail is null ? NotificationMessage.For(target, end) : Array.Empty<byte>();
            Task<(NotificationResult, int?, string?)> sending;
            try
            {
                // A mail is sent by a type of its own, so that MailKit is loaded only when a mail is due.
                sending = target.Mail != null ? MailNotification.SendAsync(target, end, credentials ?? MailCredentialStore.ForCurrentUser(), timeout.Token)
                    : target.Url is null ? NotificationCommand.RunAsync(target, end, body, timeout.Token) : NotificationWebhook.PostAsync(target.Url, body, timeout.Token);
            }
            catch (Exception e)
            {
                return Failed(target, e, clock.Elapsed);
            }
            var finished = await Task.WhenAny(sending, Task.Delay(target.Timeout + Grace)).ConfigureAwait(false);
            if (finished != sending)
            {
                timeout.Cancel();
                _ = sending.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed, never rethrown
                return TimedOut(target, clock.Elapsed);
            }
            try
            {
                var (result, code, error) = await sending.ConfigureAwait(false);
                var isCommand = target.Format == NotificationFormat.Command; // a webhook's HTTP status or a server's SMTP reply code, else an exit code
                return new NotificationOutcome(target, result, isCommand ? null : code, isCommand ? code : null, error, clock.Elapsed);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return TimedOut(target, clock.Elapsed);
            }
            catch (Exception e)
            {
                return Failed(target, e, clock.Elapsed);
            }
        }

        private static NotificationOutcome TimedOut(NotificationTarget target, TimeSpan elapsed) =>
            new(target, NotificationResult.TimedOut, null, null, $"no answer within {target.Timeout.TotalSeconds:0.#} s", elapsed);

        // An exception's message may quote the URL: it is cleaned of the secret before anyone sees it.
        private static NotificationOutcome Failed(NotificationTarget target, Exception e, TimeSpan elapsed)
        {
            var message = e.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) ? $"{e.Message} ({inner.Message})" : e.Message;
            return new NotificationOutcome(target, NotificationResult.Failed, null, null, Redaction.Clean(message, target.Url), elapsed);
        }
    }
}
