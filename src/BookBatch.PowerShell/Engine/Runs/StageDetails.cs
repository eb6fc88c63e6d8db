using System.Collections.Generic;
using BookBatch.Engine.Stages;

namespace BookBatch.Engine.Runs
{
    /// <summary>One stage of a run.</summary>
    public sealed class StageDetails
    {
        /// <summary>The stage's name.</summary>
        public string Name { get; set; } = string.Empty;
        /// <summary>Every attempt, oldest first.</summary>
        public List<AttemptDetails> Attempts { get; set; } = new();
        /// <summary>What the stage reported in its outputs file (e.g. youtube_url).</summary>
        public Dictionary<string, string?>? Outputs { get; set; }

        /// <summary>
        /// True when the stage's last attempt was cut off — it never recorded an end, or it was stopped or timed out —
        /// so that nobody knows whether it did its work, and nobody has said since (verify, or the operator). For a
        /// publishing stage without a reported URL this is the book's Review (docs/ARCHITECTURE.md, "Resume").
        /// </summary>
        public bool LastAttemptInDoubt
        {
            get
            {
                var last = Attempts.Count == 0 ? null : Attempts[Attempts.Count - 1];
                if (last is null || last.Reviewed) return false;
                return last.Ended is null || last.Result == nameof(StageResult.Canceled) || last.Result == nameof(StageResult.TimedOut);
            }
        }
    }
}
