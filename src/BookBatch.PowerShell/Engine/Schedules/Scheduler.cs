namespace BookBatch.Engine.Schedules
{
    /// <summary>Where an unattended run is registered.</summary>
    public enum Scheduler
    {
        /// <summary>A Windows scheduled task (Task Scheduler XML, registered with schtasks.exe).</summary>
        TaskScheduler,
        /// <summary>A systemd timer and service of the user (<c>~/.config/systemd/user</c>, <c>systemctl --user</c>).</summary>
        SystemdUser,
        /// <summary>A systemd timer and service of the system (<c>/etc/systemd/system</c>, <c>systemctl</c>; root).</summary>
        SystemdSystem,
        /// <summary>A line of the user's crontab.</summary>
        Cron,
    }
}
