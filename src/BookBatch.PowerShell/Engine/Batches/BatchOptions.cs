using System;
using System.Collections.Generic;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Settings;
using BookBatch.Engine.Stages;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Batches
{
    /// <summary>How one batch runs: the settings' defaults overridden by the cmdlet's parameters.</summary>
    public sealed class BatchOptions
    {
        /// <summary>public, unlisted or private.</summary>
        public string Privacy { get; set; } = "unlisted";
        /// <summary>The pause between starting two books.</summary>
        public TimeSpan Delay { get; set; }
        /// <summary>The time-out of one book, all stages together.</summary>
        public TimeSpan BookTimeout { get; set; } = PipelineSettings.DefaultBookTimeout;
        /// <summary>How many books may be in flight at once (1: one after the other).</summary>
        public int ThrottleLimit { get; set; } = 1;
        /// <summary>Process books that are already done (-Force).</summary>
        public bool Force { get; set; }
        /// <summary>The books (by index) the operator declined at the confirmation.</summary>
        public ISet<int> Declined { get; set; } = new HashSet<int>();
        /// <summary>Recipients added to every mail target for this batch (-MailTo).</summary>
        public IReadOnlyList<string> MailTo { get; set; } = Array.Empty<string>();

        /// <summary>The options of a batch: each value given (a command's parameter), else the setting of <paramref name="settings"/>.</summary>
        public static BatchOptions From(PipelineSettings settings, string? privacy, double? delaySeconds, double? timeoutSeconds, int? throttleLimit) => new()
        {
            Privacy = (privacy ?? settings.Privacy).ToLowerInvariant(),
            Delay = delaySeconds is double delay ? TimeSpan.FromSeconds(delay) : settings.Delay,
            BookTimeout = timeoutSeconds is double timeout ? TimeSpan.FromSeconds(timeout) : settings.BookTimeout,
            ThrottleLimit = throttleLimit ?? settings.ThrottleLimit,
        };
    }
}
