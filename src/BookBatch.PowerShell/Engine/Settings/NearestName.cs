using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// The one "did you mean …?" of the module: the known name nearest to a misspelt one (a settings key, a
    /// placeholder), by edit distance ignoring case, or null when none is near enough to be what was meant.
    /// </summary>
    public static class NearestName
    {
        /// <summary>The name of <paramref name="known"/> nearest to <paramref name="name"/>, or null.</summary>
        public static string? Of(string name, IEnumerable<string> known)
        {
            string? best = null;
            var bestDistance = int.MaxValue;
            foreach (var candidate in known)
            {
                var distance = EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
                if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
            }
            return bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
        }

        // Levenshtein distance: insertions, deletions and substitutions.
        private static int EditDistance(string a, string b)
        {
            var row = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) row[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                var diagonal = row[0];
                row[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
