using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Engine.Stages
{
    /// <summary>Starts one kind of stage. Implementations must end everything they started when cancelled.</summary>
    public interface IStageRunner
    {
        /// <summary>Runs one attempt; returns when it has ended and everything it started is gone.</summary>
        Task<StageOutcome> RunAsync(StageInvocation invocation, CancellationToken cancellation);
    }
}
