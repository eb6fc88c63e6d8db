namespace BookBatch.Engine.Planning
{
    /// <summary>What a batch will do to a book.</summary>
    /// <remarks>Based on long: ConvertTo-Json writes such an enum by name, not as a number (docs/DECISIONS.md).</remarks>
    public enum BookAction : long
    {
        /// <summary>Not in the database, or an unknown status: start it fresh.</summary>
        Process = 0,
        /// <summary>Status processing: carry on at its first stage that has not succeeded.</summary>
        Resume = 1,
        /// <summary>Status done: already published, nothing to do (unless -Force).</summary>
        Skip = 2,
        /// <summary>Another live batch, or a stage process a dead batch left running, is working on it: leave it alone.</summary>
        InProgress = 3,
        /// <summary>
        /// Its publishing stage was cut off and nobody knows whether it published: nothing runs until the operator says
        /// which (Complete-Book -YouTubeUrl, or Reset-Book -FromStage with that stage).
        /// </summary>
        Review = 4,
    }
}
