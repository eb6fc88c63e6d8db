using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>What a notification target sends, and how.</summary>
    public enum NotificationFormat
    {
        /// <summary>A Slack incoming webhook: <c>{"text": ..., "blocks": [...]}</c>.</summary>
        Slack,
        /// <summary>A Microsoft Teams webhook (incoming webhook or Workflows): a message with an Adaptive Card.</summary>
        Teams,
        /// <summary>A Discord webhook: <c>{"content": ...}</c>, at most 2000 characters, mentions off.</summary>
        Discord,
        /// <summary>The summary as BookBatch's own JSON (what a command gets on its standard input too).</summary>
        Json,
        /// <summary>A command (an executable and an argument array, never a shell) that gets the JSON summary on its standard input.</summary>
        Command,
        /// <summary>A mail over SMTP: a subject, a plain-text and an HTML body.</summary>
        Email,
    }
}
