using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>When a target is told about a batch's end; the values combine.</summary>
    [Flags]
    public enum NotificationWhen
    {
        /// <summary>Never (not a setting: the absence of every other value).</summary>
        None = 0,
        /// <summary>At every batch's end.</summary>
        Always = 1,
        /// <summary>When a book failed, or the batch was interrupted or could not go on.</summary>
        Failure = 2,
        /// <summary>When a book waits for the operator's review (its upload was cut off).</summary>
        Review = 4,
    }
}
