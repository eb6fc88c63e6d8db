using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>One place a batch's end is sent to: a webhook, a command or a mail.</summary>
    public sealed class NotificationTarget
    {
        internal NotificationTarget(string name, NotificationFormat format, Uri? url, string? command, IReadOnlyList<string> arguments,
            NotificationWhen when, bool listFailed, bool listReview, TimeSpan timeout, MailSettings? mail = null)
        {
            Mail = mail;
            Name = name;
            Format = format;
            Url = url;
            Command = command;
            Arguments = arguments;
            When = when;
            ListFailed = listFailed;
            ListReview = listReview;
            Timeout = timeout;
        }

        /// <summary>The target's name, as journal lines and warnings show it.</summary>
        public string Name { get; }
        /// <summary>Slack, Teams, Discord, Json (webhooks) or Command.</summary>
        public NotificationFormat Format { get; }
        /// <summary>The webhook's URL (a secret: never written anywhere); null for a command.</summary>
        public Uri? Url { get; }
        /// <summary>The command's executable; null for a webhook.</summary>
        public string? Command { get; }
        /// <summary>The command's arguments, each one whole argument.</summary>
        public IReadOnlyList<string> Arguments { get; }
        /// <summary>When it is sent.</summary>
        public NotificationWhen When { get; }
        /// <summary>True to list the failed books with their errors.</summary>
        public bool ListFailed { get; }
        /// <summary>True to list the books waiting for review with their reasons.</summary>
        public bool ListReview { get; }
        /// <summary>How long sending may take before it is given up.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>Where it goes, fit to be written down: a webhook's scheme and host only (its path holds its token), or the command.</summary>
        public string Destination => Mail?.Destination ?? (Url is null ? Command! : Redaction.Of(Url));

        /// <summary>The mail's server, sender and recipients; null for a webhook or a command.</summary>
        public MailSettings? Mail { get; }

        /// <summary>The same target with more recipients (a batch's -MailTo); a target that is no mail is itself.</summary>
        internal NotificationTarget WithRecipients(IReadOnlyList<string> recipients) => Mail is null || recipients.Count == 0 ? this
            : new NotificationTarget(Name, Format, Url, Command, Arguments, When, ListFailed, ListReview, Timeout, Mail.WithRecipients(recipients));

    }
}
