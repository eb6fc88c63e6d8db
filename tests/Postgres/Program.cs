using System;
using System.Threading;
using BookBatch.Engine.Books;
using BookBatch.Engine.Postgres;
using BookBatch.Engine.Settings;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// The test assembly doubles as a holder process of the coordination tests (<c>dotnet BookBatch.Postgres.Tests.dll holder
    /// SETTINGS DATABASE PORT LEASE-SECONDS BOOK START-AT-UNIX-MS</c>, the password in <see cref="PasswordVariable"/>, the
    /// server's address in <see cref="HostVariable"/> when not the loopback): it waits
    /// until the start time, claims the book, takes a place of the stage <c>upload</c> (concurrency 1) and counts two
    /// starts of the stage <c>rated</c>, prints what it got, then holds on. On the line <c>write</c> it tries a write fenced by
    /// its claim and prints <c>written</c> or <c>lost</c>, then <c>mine True|False</c>; at <c>exit</c> or the end of its input it ends.
    /// </summary>
    public static class Program
    {
        public const string PasswordVariable = "BOOKBATCH_TEST_PGPASSWORD";

        /// <summary>The server's address, when not the loopback (a holder in a <see cref="NetworkNamespace"/>).</summary>
        public const string HostVariable = "BOOKBATCH_TEST_PGHOST";

        public static int Main(string[] args)
        {
            if (args.Length == 7 && args[0] == "holder") return Holder(args);
            Console.Error.WriteLine("usage: BookBatch.Postgres.Tests holder SETTINGS DATABASE PORT LEASE-SECONDS BOOK START-AT-UNIX-MS");
            return 2;
        }

        private static int Holder(string[] args)
        {
            var stages = PipelineSettings.Load(args[1], System.IO.Path.GetDirectoryName(args[1])!).Stages;
            var store = new PostgresSettings(Environment.GetEnvironmentVariable(HostVariable) ?? "127.0.0.1", int.Parse(args[3]), args[2], PostgresServer.UserName, null);
            var password = Environment.GetEnvironmentVariable(PasswordVariable);
            using var coordination = PostgresLibrary.OpenCoordination(store, password, "test", TimeSpan.FromSeconds(double.Parse(args[4])));
            var book = new Book(args[5]);
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[6])) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            using var claim = coordination.TryClaim(book, "child-" + Environment.ProcessId);
            using var place = coordination.TryTakeSlot(Stage(stages, "upload"), CoordinationStore.NoRunFolders);
            var rated = coordination.RateOf(Stage(stages, "rated"));
            var starts = 0;
            while (starts < 2 && rated.TryStart(DateTimeOffset.Now, CancellationToken.None, out _)) starts++;
            Console.WriteLine($"claim {(claim is null ? "none" : claim.Token.ToString())} place {place is not null} starts {starts}");
            for (string? line; (line = Console.ReadLine()) != null && line != "exit";)
                if (line == "write" && claim != null) Write(store, password, claim);
            return 0;
        }

        private static void Write(PostgresSettings store, string? password, IBookClaim claim)
        {
            var ledger = PostgresLibrary.OpenLedger(store, password, "test");
            try
            {
                ledger.ChangeFenced(claim, new[] { claim.Book }, edit => (true, edit.Add(claim.Book, DateTime.Now).LastError = "written by the child"));
                Console.WriteLine("written");
            }
            catch (ClaimLostException) { Console.WriteLine("lost"); }
            Console.WriteLine("mine " + claim.IsStillMine());
        }

        private static StageSettings Stage(System.Collections.Generic.IReadOnlyList<StageSettings> stages, string name) =>
            System.Linq.Enumerable.Single(stages, s => s.Name == name);
    }
}
