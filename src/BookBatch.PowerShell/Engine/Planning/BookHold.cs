namespace BookBatch.Engine.Planning
{
    /// <summary>Why a book must be left alone now, and what a plan does with it.</summary>
    public sealed class BookHold
    {
        internal BookHold(BookAction action, string reason)
        {
            Action = action;
            Reason = reason;
        }

        /// <summary>InProgress (a live batch, or a stage process a dead batch left running) or Review.</summary>
        public BookAction Action { get; }

        /// <summary>What holds it, for the plan, the result and error messages.</summary>
        public string Reason { get; }
    }
}
