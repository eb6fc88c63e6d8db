namespace BookBatch.Tests.Batches
{
    /// <summary>One run of the test stage, as it recorded itself.</summary>
    public sealed record StageRun(string Stage, string Title, string Author, int Attempt, string Privacy, string[] Arguments);
}
