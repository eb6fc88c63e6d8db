using System;
using System.IO;

namespace BookBatch.Engine.Workspaces
{
    /// <summary>Which run folder names are safe to join under <c>runs/</c>.</summary>
    public static class RunFolderNames
    {
        private static readonly char[] Forbidden = { '/', '\\', ':', '*', '?', '"', '<', '>', '|' };

        /// <summary>True for a single, plain folder name: no separator, not <c>.</c> or <c>..</c>, no character Windows refuses.</summary>
        public static bool IsPlainName(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return false;
            if (name == "." || name == "..") return false;
            if (name!.IndexOfAny(Forbidden) >= 0) return false;
            foreach (var c in name)
                if (c < 32) return false;
            if (name.EndsWith(".", StringComparison.Ordinal) || name.EndsWith(" ", StringComparison.Ordinal)) return false;
            return name == Path.GetFileName(name);
        }
    }
}
