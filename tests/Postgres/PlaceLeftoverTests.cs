using System;
using System.Diagnostics;
using System.Threading;
using BookBatch.Engine.Coordination;
using Npgsql;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A stage's place whose holder died while its stage ran at another server's place (which no other server can look
    /// into): the place is not free while the stage may run on there, until its attempt is recorded over in its run
    /// folder or the holder's lease and the watchdog's 2 s have passed.
    /// </summary>
    [Collection(CoordinationCollection.Name)]
    public sealed class PlaceLeftoverTests
    {
        private const double Lease = 3;
        private readonly PostgresServer _server;

        public PlaceLeftoverTests(PostgresServer server) => _server = server;

        [Fact]
        public void APlaceLeftAtAnotherServerWaitsForTheLeaseUnlessItsAttemptIsRecordedOver()
        {
            using var store = new CoordinationStore(_server);
            var render = store.Stage("narrate"); // concurrency 2
            var dead = store.Open(Lease);
            var places = new[] { dead.TryTakeSlot(render, CoordinationStore.NoRunFolders)!, dead.TryTakeSlot(render, CoordinationStore.NoRunFolders)! };
            places[0].Expect(new StageAttemptMark("token-0", "run-0", 1));
            places[1].Expect(new StageAttemptMark("token-1", "run-1", 2));
            LeaveAsAnotherServerWould(store);
            var other = store.Open(Lease);
            StageAttemptMark? asked = null;

            var recordedOver = other.TryTakeSlot(render, (stage, attempt) =>
            {
                asked ??= attempt;
                return attempt.Token == "token-1";
            });
            Assert.NotNull(recordedOver);
            Assert.Equal(("token-0", "run-0", 1), (asked!.Token, asked.RunFolder, asked.Attempt));
            Assert.Null(other.TryTakeSlot(render, CoordinationStore.NoRunFolders)); // the other may still run at its place

            var (free, took) = CoordinationStore.Until(() => other.TryTakeSlot(render, CoordinationStore.NoRunFolders), TimeSpan.FromSeconds(Lease + 10));
            Assert.NotNull(free);
            Assert.InRange(took, TimeSpan.FromSeconds(Lease - 1), TimeSpan.FromSeconds(Lease + 4));
        }

        [Fact]
        public void AnEmptyPlaceLeftAtAnotherServerIsFreeAtOnce()
        {
            using var store = new CoordinationStore(_server);
            var render = store.Stage("narrate");
            var dead = store.Open(Lease);
            Assert.NotNull(dead.TryTakeSlot(render, CoordinationStore.NoRunFolders)); // no attempt started in it
            LeaveAsAnotherServerWould(store);

            Assert.NotNull(store.Open(Lease).TryTakeSlot(render, CoordinationStore.NoRunFolders));
        }

        // The holder's session ends without giving its places back (its host was killed), and its rows say it ran at
        // another server's place: as a holder on another server, killed, leaves them.
        private void LeaveAsAnotherServerWould(CoordinationStore store)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(store.Database));
            connection.Open();
            using var command = new NpgsqlCommand(
                "UPDATE bookbatch_stage_places SET holder_place = 'another-server/boot/pid:[1]', server = 'another-server'; " +
                "SELECT pg_terminate_backend(backend_pid) FROM bookbatch_stage_places", connection);
            command.ExecuteNonQuery();
            var ended = Stopwatch.StartNew();
            using var locks = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", connection);
            while ((long)locks.ExecuteScalar()! > 0 && ended.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        }
    }
}
