namespace BookBatch.Engine.Runs
{
    /// <summary>The state of one stage in <c>summary.json</c>, as the old system writes it.</summary>
    public static class StageStateText
    {
        /// <summary>The stage finished.</summary>
        public const string Success = "success";
        /// <summary>The stage failed.</summary>
        public const string Failed = "failed";
    }
}
