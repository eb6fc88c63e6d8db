namespace BookBatch.Engine.Coordination
{
    /// <summary>
    /// The attempt about to start in a stage's place, as the place records it: the token its process carries, and where
    /// its end or its <c>gone</c> line will be written (the run folder's name under <c>runs/</c>, and the attempt's number),
    /// so that a holder on another server can tell when a place left by a dead holder is free (docs/DECISIONS.md).
    /// </summary>
    public sealed class StageAttemptMark
    {
        /// <summary>The attempt of <paramref name="runFolder"/>'s stage numbered <paramref name="attempt"/>, its process carrying <paramref name="token"/>.</summary>
        public StageAttemptMark(string token, string runFolder, int attempt)
        {
            Token = token;
            RunFolder = runFolder;
            Attempt = attempt;
        }

        /// <summary>The token in the process's environment (<see cref="Stages.ProcessIdentity.TokenVariable"/>).</summary>
        public string Token { get; }

        /// <summary>The run folder's name under <c>runs/</c>.</summary>
        public string RunFolder { get; }

        /// <summary>The attempt's number in the stage's record there.</summary>
        public int Attempt { get; }
    }
}
