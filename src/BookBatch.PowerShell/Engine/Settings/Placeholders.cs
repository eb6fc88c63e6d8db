using System;
using System.Collections.Generic;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// The <c>{title}</c>-style placeholders a stage's arguments may use: which exist (the settings refuse others) and how
    /// they are filled; the result is still one argument.
    /// </summary>
    public static class Placeholders
    {
        /// <summary>The placeholder names a stage argument may use.</summary>
        public static readonly string[] Names = { "title", "author", "runFolder", "privacy", "stage", "attempt", "outputs", "workspace", "idempotencyKey" };

        private static readonly System.Text.RegularExpressions.Regex Pattern = new("\\{([A-Za-z]+)\\}");

        /// <summary>The argument with every known placeholder replaced by its value (unknown ones are left as they are).</summary>
        /// <param name="argument">The argument as bookbatch.json gives it.</param>
        /// <param name="valueOf">A placeholder's value by its name (an attempt's <c>StageInvocation.Placeholder</c>); null for an unknown one.</param>
        public static string Fill(string argument, Func<string, string?> valueOf) =>
            Pattern.Replace(argument, m => valueOf(m.Groups[1].Value) ?? m.Value);

        /// <summary>The placeholder names in an argument that are not known.</summary>
        public static IEnumerable<string> Unknown(string argument)
        {
            foreach (System.Text.RegularExpressions.Match m in Pattern.Matches(argument))
                if (Array.IndexOf(Names, m.Groups[1].Value) < 0) yield return m.Value;
        }
    }
}
