using System;
using System.Linq;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Postgres;
using Xunit;
using Xunit.Abstractions;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Claims and places against real holder processes (<see cref="Program"/>): raced for, killed with SIGKILL, frozen with
    /// SIGSTOP past their lease. The times measured are written to the test output.
    /// </summary>
    [Collection(CoordinationCollection.Name)]
    public sealed class HolderProcessTests
    {
        private const double Lease = 3;
        private readonly PostgresServer _server;
        private readonly ITestOutputHelper _output;

        public HolderProcessTests(PostgresServer server, ITestOutputHelper output)
        {
            _server = server;
            _output = output;
        }

        [Fact]
        public void ThreeProcessesRacingForOneBookAndOnePlaceGiveExactlyOneWinnerEach()
        {
            using var store = new CoordinationStore(_server);
            var startAt = DateTimeOffset.UtcNow.AddSeconds(4); // after every process has started and connected
            var holders = Enumerable.Range(0, 3).Select(_ => store.StartHolder("The Raced Book", Lease, startAt)).ToList();

            var lines = holders.Select(h => h.ReadLine()).ToList();

            Assert.True(DateTimeOffset.UtcNow > startAt, "the holders did not wait for the start");
            Assert.Single(lines, l => !l.StartsWith("claim none", StringComparison.Ordinal));
            Assert.Single(lines, l => l.Contains("place True", StringComparison.Ordinal));
            // The rate of 2 a minute across the three: two starts in all.
            Assert.Equal(2, lines.Sum(l => int.Parse(l.Split(' ')[^1])));
        }

        [Fact]
        public void AKilledHolderFreesItsBookAndPlaceAtOnceButItsStartsStayCounted()
        {
            using var store = new CoordinationStore(_server);
            using var holder = store.StartHolder("Killed Holder's Book", Lease);
            Assert.Matches("^claim [0-9]+ place True starts 2$", holder.ReadLine());
            var other = store.Open(Lease);
            var book = new Book("killed holder's book");
            Assert.Equal(holder.Id, other.HolderOf(book)!.Pid);
            Assert.Null(other.TryClaim(book, "other"));
            Assert.Null(other.TryTakeSlot(store.Stage("upload"), CoordinationStore.NoRunFolders));

            holder.Kill();
            var (claim, claimTook) = CoordinationStore.Until(() => other.TryClaim(book, "other"), TimeSpan.FromSeconds(10));
            var (place, placeTook) = CoordinationStore.Until(() => other.TryTakeSlot(store.Stage("upload"), CoordinationStore.NoRunFolders), TimeSpan.FromSeconds(10));
            _output.WriteLine($"SIGKILL to free: book {claimTook.TotalMilliseconds:0} ms, place {claimTook.TotalMilliseconds + placeTook.TotalMilliseconds:0} ms");

            Assert.NotNull(claim);
            Assert.True(claimTook < TimeSpan.FromSeconds(2), $"the book was free {claimTook} after the kill");
            Assert.NotNull(place);
            Assert.True(placeTook < TimeSpan.FromSeconds(2), $"the place was free {placeTook} after the book");
            Assert.False(other.RateOf(store.Stage("rated")).TryStart(DateTimeOffset.Now, CancellationToken.None, out var next));
            Assert.True(next > DateTimeOffset.Now.AddSeconds(50), "the dead holder's starts were not counted: next opening " + next);
        }

        [Fact]
        public void AFrozenHolderLosesItsBookAndPlaceAfterTheLeaseAndItsFencedWriteIsRefused()
        {
            using var store = new CoordinationStore(_server);
            using var holder = store.StartHolder("Frozen Holder's Book", Lease);
            var first = holder.ReadLine();
            Assert.Matches("^claim [0-9]+ place True", first);
            var other = store.Open(Lease);
            var book = new Book("Frozen Holder's Book");

            holder.Freeze();
            try
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
                Assert.Null(other.TryClaim(book, "other")); // a frozen holder still holds, within its lease
                var (claim, took) = CoordinationStore.Until(() => other.TryClaim(book, "other"), TimeSpan.FromSeconds(Lease + 10));
                var (place, placeTook) = CoordinationStore.Until(() => other.TryTakeSlot(store.Stage("upload"), CoordinationStore.NoRunFolders), TimeSpan.FromSeconds(Lease + 10));
                took += TimeSpan.FromSeconds(1);
                _output.WriteLine($"SIGSTOP to free (lease {Lease} s): book {took.TotalMilliseconds:0} ms, place then {placeTook.TotalMilliseconds:0} ms later");

                Assert.NotNull(claim);
                Assert.True(took < TimeSpan.FromSeconds(Lease + 2), $"the book was free {took} after the freeze");
                Assert.NotNull(place);
                Assert.True(placeTook < TimeSpan.FromSeconds(1), $"the place was free {placeTook} after the book");
                Assert.True(claim!.Token > long.Parse(first.Split(' ')[1]), "the new claim's token does not grow");
                Assert.Equal("other", other.HolderOf(book)!.Batch);
            }
            finally { holder.Resume(); }

            holder.Tell("write");
            Assert.Equal("lost", holder.ReadLine());
            Assert.Equal("mine False", holder.ReadLine());
            Assert.Null(store.Ledger().Find(book).Entry);
        }
    }
}
