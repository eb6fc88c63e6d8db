using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// Workers on one PostgreSQL store, as real pwsh processes: two of them share the queue and run each book once; the
    /// queue paused on the store holds every worker; the workers are listed from the store while they live.
    /// </summary>
    [Collection(PostgresCollection.Name)]
    public sealed class WorkerOnStoreTests
    {
        private readonly PostgresServer _server;

        public WorkerOnStoreTests(PostgresServer server) => _server = server;

        [Fact]
        public void TwoWorkersShareTheQueueAndRunEachBookOnce()
        {
            using var session = ReadySession();
            var titles = Enumerable.Range(1, 8).Select(i => $"Queued {i}").ToArray();
            Ok(session.Run(string.Join(", ", titles.Select(t => $"'{t}'")) + " | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Measure-Object"));

            var workers = new[] { session.Start(Worker), session.Start(Worker) };
            foreach (var worker in workers) Ok(StoreSession.Read(worker));

            Assert.Equal(titles, Runs(session).OrderBy(t => t, StringComparer.Ordinal));
            var done = Ok(session.Run("Get-BookStatus | Where-Object Status -eq Done | Measure-Object")).GetProperty("Count").GetInt32();
            Assert.Equal(titles.Length, done);
            Assert.False(File.Exists(session.PathOf("database.json")));
        }

        [Fact]
        public void APausedQueueHoldsAWorkerOnAnotherServerAndItIsListedWhileItWaits()
        {
            using var session = ReadySession();
            Ok(session.Run("Add-Book -Title 'Held Back' -Confirm:$false"));
            Ok(session.Run("Suspend-BookBatchQueue -Confirm:$false"));

            var worker = session.Start("Start-BookBatchWorker -PollSeconds 1 | Select-Object Title, Outcome");
            try
            {
                var listed = WaitFor(session, "Get-BookBatchWorker | Where-Object Activity -eq Paused | Measure-Object", count => count > 0);
                Assert.True(listed, "the worker was not listed as paused");
                Thread.Sleep(1500);
                Assert.Empty(Runs(session));

                Ok(session.Run("Resume-BookBatchQueue -Confirm:$false"));
                Assert.True(SpinWait.SpinUntil(() => Runs(session).Length == 1, TimeSpan.FromSeconds(30)), "the worker did not take the book once resumed");
            }
            finally
            {
                if (!worker.HasExited) worker.Kill(entireProcessTree: true);
                worker.WaitForExit(10_000);
                worker.Dispose();
            }
            // Killed, its session closed: no longer listed.
            Assert.True(WaitFor(session, "Get-BookBatchWorker | Measure-Object", count => count == 0), "a killed worker is still listed");
        }

        [Fact]
        public void AKilledWorkersBooksAreTakenUpByTheOtherAndNoStageOfABookRunsTwiceAtOnce()
        {
            using var session = ReadySession(stageSeconds: 1.5);
            var titles = Enumerable.Range(1, 6).Select(i => $"Shared {i}").ToArray();
            Ok(session.Run(string.Join(", ", titles.Select(t => $"'{t}'")) + " | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Measure-Object"));

            var killed = session.Start("Start-BookBatchWorker -PollSeconds 1 | Select-Object Title, Outcome");
            Assert.True(SpinWait.SpinUntil(() => Started(session).Length >= 2, TimeSpan.FromSeconds(60)), "the first worker started no stage");
            killed.Kill(); // SIGKILL: its stages run on as orphans on this machine, seen through /proc
            killed.WaitForExit(10_000);
            killed.Dispose();
            var survivor = session.Start(Worker);
            var outcomes = Ok(StoreSession.Read(survivor));

            var done = Ok(session.Run("Get-BookStatus | Where-Object Status -eq Done | Measure-Object")).GetProperty("Count").GetInt32();
            Assert.True(titles.Length == done, $"{done} done; the survivor's results: {outcomes}; " + session.Run("Get-BookStatus | Select-Object Title, Status, Action, Details"));
            Assert.Equal(titles, Runs(session).Distinct().OrderBy(t => t, StringComparer.Ordinal)); // each ran to its end at least once
            Assert.Empty(Overlaps(session));
        }

        [NamespacesFact]
        public void AWorkerKilledOnAnotherServerHasItsStageEndedByItsWatchdogAndItsBookIsTakenUpAtOnceWithoutOverlap()
        {
            using var session = ReadySession(stageSeconds: 20, leaseSeconds: 3);
            Ok(session.Run("Add-Book -Title 'Elsewhere' -Confirm:$false"));
            var killed = session.Start("Start-BookBatchWorker -PollSeconds 1 | Select-Object Title, Outcome", ownServer: true);
            Process? other = null;
            try
            {
                Assert.True(SpinWait.SpinUntil(() => Started(session).Length == 1, TimeSpan.FromSeconds(60)), "the first worker started no stage");
                other = session.Start("Start-BookBatchWorker -PollSeconds 1 | Select-Object Title, Outcome", ownServer: true);
                Assert.True(WaitFor(session, "Get-BookBatchWorker | Measure-Object", count => count == 2), "the second worker did not join");
                Thread.Sleep(1500); // it has looked at the book meanwhile, and left it: it is held

                Signal("KILL", PidNamespace.CommandOf(killed)); // the worker alone: its stage and its watchdog live on in its namespace
                var killedAt = DateTime.UtcNow;
                if (!SpinWait.SpinUntil(() => Started(session).Length == 2, TimeSpan.FromSeconds(30)))
                {
                    other.Kill(entireProcessTree: true);
                    Assert.Fail("the book was not taken up: " + session.Run("Get-BookStatus | Select-Object Title, Status, Action, Details") + " " + RunLog(session)
                                + "\nthe other worker said: " + other.StandardOutput.ReadToEnd() + other.StandardError.ReadToEnd());
                }
                var takenUp = DateTime.UtcNow - killedAt;
                Assert.True(takenUp < TimeSpan.FromSeconds(10), $"taken up {takenUp.TotalSeconds:0.0} s after the kill");
            }
            finally
            {
                foreach (var worker in new[] { killed, other })
                {
                    if (worker is null) continue;
                    if (!worker.HasExited) worker.Kill(entireProcessTree: true);
                    worker.WaitForExit(10_000);
                    worker.Dispose();
                }
            }
            // The killed worker's watchdog ended its stage and said so; no run of the stage overlapped another.
            Assert.Contains("ended by the stage watchdog", RunLog(session));
            Assert.Empty(Overlaps(session));
        }

        [Fact]
        public void AWorkerFrozenPastItsLeaseRecordsNothingForTheBookAnotherTookOver()
        {
            using var session = ReadySession(stageSeconds: 2, leaseSeconds: 3);
            Ok(session.Run("Add-Book -Title 'Frozen' -Confirm:$false"));
            var frozen = session.Start("Start-BookBatchWorker -PollSeconds 1 | Select-Object Title, Outcome, Reason");
            try
            {
                Assert.True(SpinWait.SpinUntil(() => Started(session).Length == 1, TimeSpan.FromSeconds(60)), "the first worker started no stage");
                Signal("STOP", frozen.Id); // a paused VM: its session falls silent, its stage runs on and ends meanwhile
                Thread.Sleep(5000);        // the lease (3 s) runs out: the server ends its session and the book is free

                var other = session.Start("Start-BookBatchWorker -StopWhenIdle -PollSeconds 1 | Select-Object Title, Outcome");
                Assert.True(SpinWait.SpinUntil(() => Started(session).Length == 2, TimeSpan.FromSeconds(60)), "the second worker did not take the book up");
                Signal("CONT", frozen.Id); // it wakes up while the other runs the stage
                Ok(StoreSession.Read(other));
            }
            finally
            {
                Signal("CONT", frozen.Id);
                if (!frozen.HasExited) frozen.Kill(entireProcessTree: true);
                frozen.WaitForExit(10_000);
                frozen.Dispose();
            }

            var status = Ok(session.Run("Get-BookStatus -Title 'Frozen' | Select-Object Status, RunFolder"));
            Assert.Equal("Done", status.GetProperty("Status").ToString());
            var folder = status.GetProperty("RunFolder").GetString()!;
            var attempts = BookBatch.Engine.Runs.RunFolder.ReadDetails(Path.Combine(session.Workspace, "runs", folder))!.Stage("render").Attempts;
            Assert.Equal(2, attempts.Count);
            // The frozen worker recorded no end for the attempt it started: the worker that took the book up closed it as cut off.
            var log = string.Join("\n", Directory.GetFiles(Path.Combine(session.Workspace, "runs", folder), "*.jsonl").Select(File.ReadAllText));
            Assert.True(("Canceled", true) == (attempts[0].Result, attempts[0].Error?.StartsWith("cut off", StringComparison.Ordinal)), log);
            Assert.NotEqual(attempts[0].Batch, attempts[1].Batch);
            Assert.Equal("succeeded", attempts[1].Result?.ToLowerInvariant());
            Assert.Empty(Overlaps(session));
        }

        [Fact]
        public void AWorkerCarriesOnAfterPostgreSqlRestartsUnderIt()
        {
            using var session = ReadySession(stageSeconds: 1.5);
            var titles = Enumerable.Range(1, 4).Select(i => $"Restarted {i}").ToArray();
            Ok(session.Run(string.Join(", ", titles.Select(t => $"'{t}'")) + " | ForEach-Object { Add-Book -Title $_ -Confirm:$false } | Measure-Object"));
            var worker = session.Start("Start-BookBatchWorker -StopWhenIdle -PollSeconds 1 -WarningAction SilentlyContinue | Select-Object Title, Outcome");

            Assert.True(SpinWait.SpinUntil(() => Started(session).Length >= 1, TimeSpan.FromSeconds(60)), "the worker started no stage");
            _server.Restart(); // every session ends: the worker's claims, places and its round's next write fail

            Ok(StoreSession.Read(worker));
            var done = Ok(session.Run("Get-BookStatus | Where-Object Status -eq Done | Measure-Object")).GetProperty("Count").GetInt32();
            Assert.Equal(titles.Length, done);
            Assert.Empty(Overlaps(session));
        }

        private static string RunLog(StoreSession session) =>
            string.Join("\n", Directory.GetFiles(Path.Combine(session.Workspace, "runs"), "*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));

        private static void Signal(string signal, int pid)
        {
            using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill") { ArgumentList = { "-" + signal, pid.ToString() } })!;
            kill.WaitForExit();
        }

        private const string Worker = "Start-BookBatchWorker -StopWhenIdle -PollSeconds 1 | Select-Object Title, Outcome";

        private static string[] Started(StoreSession session) =>
            File.Exists(session.PathOf("started.log")) ? File.ReadAllLines(session.PathOf("started.log")).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

        // The books whose stage started while another run of it still ran (the stage takes a lock of its book's, which the
        // kernel gives back when its process ends, however it ends).
        private static string[] Overlaps(StoreSession session) =>
            File.Exists(session.PathOf("overlaps.log")) ? File.ReadAllLines(session.PathOf("overlaps.log")).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

        private static bool WaitFor(StoreSession session, string count, Func<int, bool> done) => SpinWait.SpinUntil(() =>
        {
            var outcome = session.Run(count);
            if (outcome.GetProperty("ok").GetBoolean() && done(outcome.GetProperty("result").GetProperty("Count").GetInt32())) return true;
            Thread.Sleep(200);
            return false;
        }, TimeSpan.FromSeconds(60));

        // A workspace on a new database with its schema made, and one stage that sleeps, logging its start (started.log) and
        // its end (runs.log): the book's title and the time in nanoseconds after a tab; and, when it starts while another
        // run of the same book's stage still runs, the title in overlaps.log.
        private StoreSession ReadySession(double stageSeconds = 0.2, int? leaseSeconds = null)
        {
            var session = new StoreSession(_server, _server.NewDatabase());
            var path = session.PathOf("bookbatch.json");
            var settings = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if (leaseSeconds is int lease) settings["store"]!["leaseSeconds"] = lease;
            settings["delaySeconds"] = 0;
            settings["throttleLimit"] = 2;
            settings["requireUrl"] = false;
            settings["stages"] = JsonNode.Parse(JsonSerializer.Serialize(new[]
            {
                new { name = "render", command = "sh", arguments = new[] { "-c", Stage(session, stageSeconds) } },
            }));
            File.WriteAllText(path, settings.ToJsonString());
            Ok(session.Run("Update-BookBatchStore -Confirm:$false"));
            return session;
        }

        private static string Stage(StoreSession session, double seconds)
        {
            var sleep = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string Log(string file) => $"printf '%s\\t%s\\n' \"$BOOKBATCH_TITLE\" \"$(date +%s%N)\" >> '{session.PathOf(file)}'";
            var locks = session.PathOf("locks");
            Directory.CreateDirectory(locks);
            var lockFile = $"'{locks}'/\"$(printf %s \"$BOOKBATCH_TITLE\" | tr -c 'A-Za-z0-9' _)\".lock";
            return $"exec 9>{lockFile}; flock -n 9 || printf '%s\\n' \"$BOOKBATCH_TITLE\" >> '{session.PathOf("overlaps.log")}'; " +
                   $"{Log("started.log")}; sleep {sleep}; {Log("runs.log")}";
        }

        // The titles whose stage ran to its end, once each run.
        private static string[] Runs(StoreSession session) =>
            File.Exists(session.PathOf("runs.log")) ? File.ReadAllLines(session.PathOf("runs.log")).Where(l => l.Length > 0).Select(l => l.Split('\t')[0]).ToArray() : Array.Empty<string>();

        private static JsonElement Ok(JsonElement outcome)
        {
            Assert.True(outcome.GetProperty("ok").GetBoolean(), outcome.ToString());
            return outcome.GetProperty("result");
        }
    }
}
