using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Module;
using Xunit;

namespace BookBatch.Tests.Operator
{
    /// <summary>
    /// The message pump after Ctrl+C: whatever write finds the pipeline stopped — a message's, or the progress the tick
    /// draws between messages — stops the work, and the stop is thrown only once the work has ended, so that the final
    /// summary has every book's result and no worker posts to a pump that is gone.
    /// </summary>
    public class PipelinePumpTests
    {
        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void AStoppedWriteStopsTheWorkAndIsThrownOnlyWhenTheWorkHasEnded(bool fromTick)
        {
            using var pump = new PipelinePump();
            using var stopped = new CancellationTokenSource();
            var work = Task.Run(async () =>
            {
                pump.Post(_ => { if (!fromTick) throw new PipelineStoppedException(); });
                try { await Task.Delay(TimeSpan.FromSeconds(30), stopped.Token); }
                catch (OperationCanceledException) { }
                await Task.Delay(300); // ending its stages and journal after the stop
                pump.Post(_ => throw new InvalidOperationException("a message after the stop is dropped, not delivered"));
            });
            if (fromTick) pump.Tick = _ => throw new PipelineStoppedException();

            Assert.Throws<PipelineStoppedException>(() => pump.Run(null!, work, stopped.Cancel));

            Assert.True(stopped.IsCancellationRequested, "the work was not told to stop");
            Assert.True(work.IsCompleted, "the stop was thrown before the work ended");
        }
    }
}
