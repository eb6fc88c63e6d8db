using System.Threading.Tasks;

namespace BookBatch.Engine.Batches
{
    /// <summary>
    /// What tells others that a batch ended, once its journal has its end. The runner is handed one (the notifications
    /// of bookbatch.json) and knows nothing of how it sends.
    /// </summary>
    public interface IBatchEndNotifier
    {
        /// <summary>
        /// Tells of the batch's end: <paramref name="summary"/> its results, <paramref name="error"/> what stopped it
        /// when it could not go on. Never throws; returns when every attempt ended or timed out.
        /// </summary>
        Task BatchEndedAsync(BatchSummary summary, string? error);
    }
}
