using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Postgres;
using Npgsql;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>Claims, places and rate windows between holders of this process, each with its own session, racing.</summary>
    [Collection(CoordinationCollection.Name)]
    public sealed class CoordinationTests
    {
        private readonly PostgresServer _server;

        public CoordinationTests(PostgresServer server) => _server = server;

        [Fact]
        public void HoldersRacingForPlacesNeverHoldMoreThanTheConcurrency()
        {
            using var store = new CoordinationStore(_server);
            var narrate = store.Stage("narrate");
            var holders = Enumerable.Range(0, 4).Select(_ => store.Open()).ToList();
            int inUse = 0, most = 0, taken = 0;
            var until = DateTime.UtcNow.AddSeconds(2);

            Parallel.ForEach(holders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, holder =>
            {
                while (DateTime.UtcNow < until)
                {
                    using var place = holder.TryTakeSlot(narrate, CoordinationStore.NoRunFolders);
                    if (place is null) { Thread.Sleep(2); continue; }
                    var now = Interlocked.Increment(ref inUse);
                    InterlockedMax(ref most, now);
                    Interlocked.Increment(ref taken);
                    Thread.Sleep(10);
                    Interlocked.Decrement(ref inUse);
                }
            });

            Assert.True(most <= 2, $"{most} places of a concurrency of 2 were held at once");
            Assert.Equal(2, most);
            Assert.True(taken > 8, $"only {taken} places were taken");
            Assert.Equal(0, holders[0].PlacesInUse("narrate"));
        }

        [Fact]
        public async Task APlaceGivenBackIsToldToAnotherHolderWatchingThePlaces()
        {
            using var store = new CoordinationStore(_server);
            var narrate = store.Stage("narrate");
            using var giver = store.Open();
            using var watcher = store.Open();
            var told = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watch = watcher.WatchPlaces(stage => told.TrySetResult(stage));

            // The watcher listens from a moment after it asked: give a place back until it is told (a minute at most).
            var given = 0;
            while (!told.Task.IsCompleted && given < 600)
            {
                using (var place = giver.TryTakeSlot(narrate, CoordinationStore.NoRunFolders)) Assert.NotNull(place);
                given++;
                await Task.WhenAny(told.Task, Task.Delay(100));
            }

            Assert.True(told.Task.IsCompleted, $"no notice of {given} places given back");
            Assert.Equal("narrate", await told.Task);
        }

        [Fact]
        public void OneHolderTakesEachPlaceAndEachBookOnlyOnce()
        {
            using var store = new CoordinationStore(_server);
            var holder = store.Open();
            var book = new Book("Once");

            var places = new[] { holder.TryTakeSlot(store.Stage("narrate"), CoordinationStore.NoRunFolders), holder.TryTakeSlot(store.Stage("narrate"), CoordinationStore.NoRunFolders), holder.TryTakeSlot(store.Stage("narrate"), CoordinationStore.NoRunFolders) };
            using var claim = holder.TryClaim(book, "a");

            Assert.NotNull(places[0]);
            Assert.NotNull(places[1]);
            Assert.Null(places[2]);
            Assert.Equal(2, holder.PlacesInUse("narrate"));
            Assert.NotNull(claim);
            Assert.Null(holder.TryClaim(book, "b")); // a session's advisory locks are re-entrant: the holder must not take it twice
            places[0]!.Dispose();
            Assert.Equal(1, holder.PlacesInUse("narrate"));
            Assert.NotNull(holder.TryTakeSlot(store.Stage("narrate"), CoordinationStore.NoRunFolders));
        }

        [Fact]
        public void HoldersRacingForStartsNeverMakeMoreThanTheRateInAnyWindow()
        {
            using var store = new CoordinationStore(_server, rate: "{\"starts\": 3, \"perSeconds\": 1}");
            var rated = store.Stage("rated");
            var holders = Enumerable.Range(0, 4).Select(_ => store.Open()).ToList();
            var until = DateTime.UtcNow.AddSeconds(2.5);

            Parallel.ForEach(holders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, holder =>
            {
                var window = holder.RateOf(rated);
                while (DateTime.UtcNow < until)
                    if (!window.TryStart(DateTimeOffset.Now, CancellationToken.None, out _)) Thread.Sleep(5);
            });

            var starts = Query(store.Database, "SELECT started_at FROM bookbatch_rate_starts ORDER BY started_at", r => r.GetDateTime(0));
            Assert.True(starts.Count >= 6, $"only {starts.Count} starts in 2.5 s of a rate of 3 a second");
            for (var i = 0; i + 3 < starts.Count; i++)
                Assert.True(starts[i + 3] - starts[i] >= TimeSpan.FromSeconds(1), $"4 starts within {starts[i + 3] - starts[i]}");
        }

        [Fact]
        public async Task PeekDoesNotWaitForTheStageLockThatAStartWaitsFor()
        {
            using var store = new CoordinationStore(_server);
            var window = store.Open().RateOf(store.Stage("rated"));
            Assert.True(window.TryStart(DateTimeOffset.Now, CancellationToken.None, out _));
            using var locker = new NpgsqlConnection(_server.ConnectionString(store.Database));
            locker.Open();
            using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock(x'4252'::int, hashtext('rated'))", locker)) hold.ExecuteNonQuery();

            var start = Task.Run(() => window.TryStart(DateTimeOffset.Now, CancellationToken.None, out _));
            await Task.Delay(500);
            var peek = Task.Run(() => store.Open().RateOf(store.Stage("rated")).Peek(DateTimeOffset.Now));
            var answered = await Task.WhenAny(peek, Task.Delay(TimeSpan.FromSeconds(5))) == peek;
            var startWaited = !start.IsCompleted;
            using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'4252'::int, hashtext('rated'))", locker)) release.ExecuteNonQuery();

            Assert.True(startWaited, "TryStart did not wait for the stage's lock");
            Assert.True(answered, "Peek waited for the stage's lock");
            Assert.Equal(1, (await peek).Starts);
            Assert.True(await start);
            Assert.Equal(2, window.Peek(DateTimeOffset.Now).Starts);
        }

        [Fact]
        public void NotNowHoldsEveryHolderBackUntilItsTime()
        {
            using var store = new CoordinationStore(_server);
            var narrate = store.Stage("narrate"); // no rate: only the "not now" holds it back
            var now = DateTimeOffset.Now;
            store.Open().RateOf(narrate).Block(now.AddSeconds(30), now);

            var other = store.Open().RateOf(narrate);
            var started = other.TryStart(DateTimeOffset.Now, CancellationToken.None, out var next);

            Assert.False(started);
            Assert.InRange(next, now.AddSeconds(29), now.AddSeconds(31));
            Assert.InRange(other.Peek(DateTimeOffset.Now).NextOpening, now.AddSeconds(29), now.AddSeconds(31));
            Assert.True(store.Open().RateOf(store.Stage("upload")).TryStart(DateTimeOffset.Now, CancellationToken.None, out _), "another stage was held back");
        }

        [Fact]
        public void HoldersAreListedWithBatchServerProcessAndSinceAndAFencedWriteOfALiveClaimGoesThrough()
        {
            using var store = new CoordinationStore(_server);
            var holder = store.Open();
            var reader = store.Open();
            var first = holder.TryClaim(new Book("First Book", "An Author"), "batch-a")!;
            using var second = holder.TryClaim(new Book("Second Book"), "batch-a")!;

            var listed = reader.LiveHolders();
            var one = reader.HolderOf(new Book("first book", "an author"))!;

            Assert.Equal(new[] { "First Book | An Author", "Second Book" }, listed.Select(h => h.Book));
            Assert.All(listed, h => Assert.Equal(("batch-a", Environment.MachineName, Environment.ProcessId), (h.Batch, h.Host, h.Pid)));
            Assert.InRange(one.Since, DateTimeOffset.Now.AddMinutes(-1), DateTimeOffset.Now.AddSeconds(1));
            Assert.True(first.IsStillMine());
            store.Ledger().ChangeFenced(first, new[] { first.Book }, edit => (true, edit.Add(first.Book, DateTime.Now)));
            Assert.NotNull(store.Ledger().Find(first.Book).Entry);

            first.Dispose();
            Assert.Null(reader.HolderOf(new Book("First Book", "An Author")));
            Assert.False(first.IsStillMine());
            Assert.Throws<ClaimLostException>(() => store.Ledger().ChangeFenced(first, new[] { first.Book }, edit => (true, 0)));
            var again = reader.TryClaim(first.Book, "batch-b")!;
            Assert.True(again.Token > first.Token);
        }

        [Fact]
        public async Task AHolderWhoseBooksAllAskAtOnceOnPoolThreadsKeepsItsSession()
        {
            // A worker's books ask their claims from pool threads, all through the one session: they wait for it there,
            // and its reads were finished by a pool thread too. With the pool's threads all waiting, the farm benchmark
            // stood still until sessions went stale (the session is given up when not renewed within half its lease).
            using var store = new CoordinationStore(_server);
            var holder = store.Open(leaseSeconds: 2);
            var claims = Enumerable.Range(0, 48).Select(i => holder.TryClaim(new Book("Asked " + i), "pool")!).ToList();
            var until = DateTime.UtcNow.AddSeconds(4);
            var asked = 0;

            await Task.WhenAll(claims.Select(claim => Task.Run(async () =>
            {
                while (DateTime.UtcNow < until && claim.IsStillMine())
                {
                    Interlocked.Increment(ref asked);
                    await Task.Yield();
                }
            })));

            Assert.True(claims.All(c => c.IsStillMine()), $"the session was given up after {asked} questions: its books were lost");
        }

        private static void InterlockedMax(ref int most, int value)
        {
            for (var seen = Volatile.Read(ref most); value > seen; seen = Volatile.Read(ref most))
                if (Interlocked.CompareExchange(ref most, value, seen) == seen) return;
        }

        private List<T> Query<T>(string database, string sql, Func<NpgsqlDataReader, T> read)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
    }
}
