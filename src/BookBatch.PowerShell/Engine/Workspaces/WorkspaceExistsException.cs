using System.IO;

namespace BookBatch.Engine.Workspaces
{
    /// <summary>A workspace settings file that exists already, where New-BookWorkspace was asked for a new one.</summary>
    public sealed class WorkspaceExistsException : IOException
    {
        /// <summary>Creates the error for the settings file found.</summary>
        public WorkspaceExistsException(string settingsPath)
            : base($"'{settingsPath}' exists already. Nothing was changed. Use -Force to write the example settings, " +
                   "stages and books.txt again (database.json, runs/ and batches/ are never touched).") => SettingsPath = settingsPath;

        /// <summary>The settings file found.</summary>
        public string SettingsPath { get; }
    }
}
