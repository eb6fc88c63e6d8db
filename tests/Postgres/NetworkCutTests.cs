using System;
using System.Diagnostics;
using BookBatch.Engine.Books;
using Xunit;
using Xunit.Abstractions;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A holder process on a server cut off from the database without a word (its network namespace's link taken down):
    /// the server ends its session after the lease, another holder takes its book and place, and when the holder's
    /// network comes back, its write under the lost claim is refused. The time measured is written to the test output.
    /// </summary>
    [Collection(CoordinationCollection.Name)]
    public sealed class NetworkCutTests
    {
        private const double Lease = 3;
        private readonly ITestOutputHelper _output;

        public NetworkCutTests(ITestOutputHelper output) => _output = output;

        [NetworkNamespaceFact]
        public void AHolderCutOffSilentlyLosesItsBookAfterTheLeaseAndItsWriteIsRefusedWhenItIsBack()
        {
            using var network = new NetworkNamespace();
            using var server = PostgresServer.AlsoOn(network.HostAddress, network.Address + "/32");
            using var store = new CoordinationStore(server);
            using var holder = store.StartHolder("Cut Off Holder's Book", Lease, network: network);
            var first = holder.ReadLine();
            Assert.Matches("^claim [0-9]+ place True", first);
            var other = store.Open(Lease);
            var book = new Book("Cut Off Holder's Book");

            network.Cut();
            var clock = Stopwatch.StartNew();
            Assert.Null(other.TryClaim(book, "other")); // a holder cut off still holds, within its lease
            var (claim, _) = CoordinationStore.Until(() => other.TryClaim(book, "other"), TimeSpan.FromSeconds(Lease + 15));
            var took = clock.Elapsed;
            var (place, placeTook) = CoordinationStore.Until(() => other.TryTakeSlot(store.Stage("upload"), CoordinationStore.NoRunFolders), TimeSpan.FromSeconds(Lease + 10));
            _output.WriteLine($"network cut to free (lease {Lease} s): book {took.TotalMilliseconds:0} ms, place then {placeTook.TotalMilliseconds:0} ms later");

            Assert.NotNull(claim);
            Assert.True(took <= TimeSpan.FromSeconds(Lease + 5), $"the book was free {took} after the cut");
            Assert.NotNull(place);
            Assert.True(claim!.Token > long.Parse(first.Split(' ')[1]), "the new claim's token does not grow");

            network.Mend();
            holder.Tell("write");
            Assert.Equal("lost", holder.ReadLine(90));
            Assert.Equal("mine False", holder.ReadLine());
            Assert.Null(store.Ledger().Find(book).Entry);
            Assert.Equal("other", other.HolderOf(book)!.Batch);
        }
    }

    /// <summary>A test that needs a network namespace; skipped with the reason where one cannot be made.</summary>
    public sealed class NetworkNamespaceFactAttribute : FactAttribute
    {
        public NetworkNamespaceFactAttribute()
        {
            if (NetworkNamespace.Unavailable is { } reason) Skip = reason;
        }
    }
}
