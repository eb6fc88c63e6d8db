namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// What a process runner needs of its host's stage watchdog (<c>Engine/Watchdog/StageWatch</c>): the token every
    /// stage carries in <see cref="ProcessIdentity.WatchTokenVariable"/>, the watchdog started before the first stage, and
    /// each attempt told to it from before its process starts until its end is recorded.
    /// </summary>
    public interface IStageWatch
    {
        /// <summary>The host's token.</summary>
        string Token { get; }

        /// <summary>True when no stage may start without the watchdog (a store shared by servers).</summary>
        bool Required { get; }

        /// <summary>Starts the watchdog unless it runs; returns why it could not start, or null.</summary>
        string? EnsureStarted();

        /// <summary>
        /// Tells the watchdog of an attempt about to start (before its process), so that it records the attempt gone if the
        /// host dies before <see cref="Recorded"/>: also when the process ended just before, with its end not yet written.
        /// </summary>
        void Watch(StageInvocation attempt);

        /// <summary>Tells the watchdog that the attempt carrying <paramref name="token"/> has its end on record.</summary>
        void Recorded(string token);
    }
}
