using System.Collections.Generic;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// Stage names in pipeline order. A list to scripts and ConvertTo-Json; its text is the names joined by ", ", which is
    /// what Export-Csv writes (an array would be written as "System.String[]").
    /// </summary>
    public sealed class StageNames : System.Collections.ObjectModel.ReadOnlyCollection<string>
    {
        internal StageNames(IEnumerable<string> names) : base(new List<string>(names)) { }

        /// <summary>The names joined by ", ".</summary>
        public override string ToString() => string.Join(", ", this);
    }
}
