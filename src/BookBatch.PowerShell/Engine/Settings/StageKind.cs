namespace BookBatch.Engine.Settings
{
    /// <summary>How a stage is started.</summary>
    public enum StageKind
    {
        /// <summary>An executable with an argument array, never through a shell.</summary>
        Command,
        /// <summary>A PowerShell script file, run in a runspace of its own.</summary>
        Script,
    }
}
