namespace BookBatch.Engine.Stages
{
    /// <summary>
    /// What a process runner needs of its host's stage watchdog (<c>Engine/Watchdog/StageWatch</c>): the token every
    /// stage carries in <see cref="ProcessIdentity.WatchTokenVariable"/>, and the watchdog started before the first stage.
    /// </summary>
    public interface IStageWatch
    {
        /// <summary>The host's token.</summary>
        string Token { get; }

        /// <summary>True when no stage may start without the watchdog (a store shared by servers).</summary>
        bool Required { get; }

        /// <summary>Starts the watchdog unless it runs; returns why it could not start, or null.</summary>
        string? EnsureStarted();
    }
}
