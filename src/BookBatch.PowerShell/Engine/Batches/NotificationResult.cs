namespace BookBatch.Engine.Batches
{
    /// <summary>How sending to a target went.</summary>
    public enum NotificationResult
    {
        /// <summary>The webhook answered 2xx, or the command exited with 0.</summary>
        Sent,
        /// <summary>Refused, unreachable, another status code, another exit code, or the command could not start.</summary>
        Failed,
        /// <summary>No answer within the target's time-out: given up (a command's process tree is ended).</summary>
        TimedOut,
    }
}
