using System;

namespace BookBatch.Engine.Settings
{
    /// <summary><c>bookbatch.json</c> is missing or wrong; no work was started.</summary>
    public sealed class SettingsInvalidException : Exception
    {
        /// <summary>Creates the error for a file, a key (empty for the whole file) and what is wrong.</summary>
        public SettingsInvalidException(string path, string key, string problem)
            : base(key.Length == 0
                ? $"The settings '{path}' cannot be used: {problem}. No book was started."
                : $"The settings '{path}' cannot be used: \"{key}\" {problem}. No book was started.")
        {
            Path = path;
            Key = key;
        }

        /// <summary>The settings file.</summary>
        public string Path { get; }
        /// <summary>The key at fault, as a path such as <c>stages[2].timeoutSeconds</c>.</summary>
        public string Key { get; }
    }
}
