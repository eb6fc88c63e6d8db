using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Books;
using BookBatch.Engine.Ledger;
using BookBatch.Engine.Postgres;
using Npgsql;
using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>The PostgreSQL ledger, in this process as a command would use it (loaded through PostgresLibrary), against the test server.</summary>
    [Collection(PostgresCollection.Name)]
    public sealed class LedgerStoreTests
    {
        // A database.json as BookBatch writes it: unknown fields (nested, top-level), unicode titles, a book in Review,
        // a failed one and one with a null status, and a title twice with different authors (the import's tests use it too).
        internal const string Database = "{\n  \"books\": [\n" +
            "    {\n      \"main_title\": \"Atomic Habits\",\n      \"author_name\": \"James Clear\",\n      \"status\": \"done\",\n" +
            "      \"youtube_url\": \"https://youtube.com/watch?v=abc\",\n      \"short_url\": null,\n      \"date_added\": \"2025-10-19T10:30:00\",\n" +
            "      \"run_folder\": \"2025-10-19_10-30-00_Atomic-Habits\",\n      \"channel\": {\"name\": \"main\", \"tags\": [1, 2.50, true]}\n    },\n" +
            "    {\n      \"main_title\": \"Ле́в Толсто́й — Война и мир 📚\",\n      \"author_name\": null,\n      \"status\": \"processing\",\n" +
            "      \"youtube_url\": null,\n      \"short_url\": null,\n      \"date_added\": \"2025-10-20T08:00:00.123456\",\n" +
            "      \"run_folder\": \"2025-10-20_08-00-00_Voyna\",\n      \"updated_at\": \"2025-10-20T09:00:00\",\n      \"review\": \"upload\"\n    },\n" +
            "    {\n      \"main_title\": \"Deep Work\",\n      \"author_name\": \"Cal Newport\",\n      \"status\": \"processing\",\n" +
            "      \"youtube_url\": null,\n      \"short_url\": null,\n      \"date_added\": \"2025-10-21T08:00:00\",\n      \"run_folder\": null,\n" +
            "      \"last_error\": \"render: exit code 1\"\n    },\n" +
            "    {\n      \"main_title\": \"Deep Work\",\n      \"author_name\": \"Someone Else\",\n      \"status\": null,\n      \"youtube_url\": null,\n" +
            "      \"short_url\": null,\n      \"date_added\": null,\n      \"run_folder\": null,\n      \"x\": \"\\u00e9\\\"\"\n    }\n" +
            "  ],\n  \"version\": 2,\n  \"owner\": {\n    \"team\": \"vidéo\"\n  }\n}\n";

        private readonly PostgresServer _server;

        public LedgerStoreTests(PostgresServer server) => _server = server;

        [Fact]
        public void ALedgerGoesInAndComesBackByteForByte()
        {
            var store = NewStore(out _);
            // The fixture is exactly what the file store writes for it, so "unchanged" means byte for byte.
            Assert.Equal(Database, Encoding.UTF8.GetString(LedgerJson.Write(Parse(Database))));

            Assert.Equal(4, store.Load(Parse(Database), replace: false, CancellationToken.None));

            Assert.Equal(Database, Encoding.UTF8.GetString(LedgerJson.Write(store.Read())));
        }

        [Fact]
        public void FindAndListSeeTheRowsAsTheFileStoreWould()
        {
            var store = NewStore(out _);
            store.Load(Parse(Database), replace: false, CancellationToken.None);

            Assert.Equal("upload", store.Find(new Book("ле́в толсто́й — война и мир 📚")).Entry!.Review);
            Assert.True(store.Find(new Book("Deep Work")).IsAmbiguous);
            Assert.Equal("render: exit code 1", store.Find(new Book("deep  work", "Cal Newport")).Entry!.LastError);
            Assert.Null(store.Find(new Book("Nowhere")).Entry);
            Assert.Equal(new[] { "Atomic Habits" }, store.List(e => e.State == BookState.Done).Select(e => e.Book.Title));
        }

        [Fact]
        public void AChangeWritesOnlyItsBooksAndKeepsTheRestUnchanged()
        {
            var store = NewStore(out var database);
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            var untouched = Entries(database).Where(e => !e.Contains("Atomic")).ToList();

            store.Change(new[] { new Book("Atomic Habits"), new Book("New Book", "Author") }, edit =>
            {
                edit.FindExisting(new Book("Atomic Habits")).LastError = "changed";
                edit.Add(new Book("New Book", "Author"), new DateTime(2026, 1, 2, 3, 4, 5));
                return (true, 0);
            });

            var file = new LedgerStore(store.Read());
            Assert.Equal("changed", file.Find("Atomic Habits").LastError);
            Assert.Equal("New Book", file.Ledger.Books[^1].Book.Title);
            Assert.Equal(untouched, Entries(database).Where(e => !e.Contains("Atomic") && !e.Contains("New Book")).ToList());
        }

        [Fact]
        public void ChangingNothingOrAnUnknownBookBehavesAsTheFileStore()
        {
            var store = NewStore(out _);
            store.Load(Parse(Database), replace: false, CancellationToken.None);

            Assert.Throws<BookNotFoundException>(() => store.Change(new[] { new Book("Nowhere") }, edit => (true, edit.FindExisting(new Book("Nowhere")))));
            Assert.Throws<BookAmbiguousException>(() => store.Change(new[] { new Book("Deep Work") }, edit => (true, edit.FindExisting(new Book("Deep Work")))));
            var removed = store.Change(new[] { new Book("Deep Work", "Someone Else") }, edit => (true, edit.Remove(edit.FindExisting(new Book("Deep Work", "Someone Else")))));

            Assert.True(removed);
            Assert.Equal(3, store.Read().Books.Count);
        }

        [Fact]
        public async System.Threading.Tasks.Task ReadingAsWrittenDoesNotWaitForAWholeLedgerChangeInProgress()
        {
            var store = NewStore(out _);
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            using var inside = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var update = System.Threading.Tasks.Task.Run(() => store.Update(ledger =>
            {
                ledger.Remove(ledger.Books[0]);
                inside.Set();
                release.Wait(TimeSpan.FromSeconds(30));
                return (true, 0);
            }));
            Assert.True(inside.Wait(TimeSpan.FromSeconds(30)));

            var seen = System.Threading.Tasks.Task.Run(() => store.ReadAsWritten().Books.Count);
            var answered = await System.Threading.Tasks.Task.WhenAny(seen, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(10))) == seen;
            release.Set();
            await update;

            Assert.True(answered, "ReadAsWritten waited for the change's lock");
            Assert.Equal(4, await seen);
            Assert.Equal(3, store.ReadAsWritten().Books.Count);
        }

        [Fact]
        public void UpdateChangesTheWholeLedger()
        {
            var store = NewStore(out _);
            store.Load(Parse(Database), replace: false, CancellationToken.None);

            store.Update(ledger =>
            {
                foreach (var entry in ledger.Books.Where(e => e.State == BookState.Processing).ToList()) ledger.Remove(entry);
                return (true, 0);
            });

            Assert.Equal(new[] { "Atomic Habits", "Deep Work" }, store.Read().Books.Select(b => b.Book.Title));
        }

        [Fact]
        public void ALoadIntoAStoreWithBooksIsRefusedUnlessReplacing()
        {
            var store = NewStore(out _);
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            var other = Parse("{\"books\": [{\"main_title\": \"Only\"}]}");

            Assert.Throws<StoreNotEmptyException>(() => store.Load(other, replace: false, CancellationToken.None));
            Assert.Equal(Database, Encoding.UTF8.GetString(LedgerJson.Write(store.Read())));

            store.Load(other, replace: true, CancellationToken.None);
            Assert.Equal(new[] { "Only" }, store.Read().Books.Select(b => b.Book.Title));
        }

        [Fact]
        public async Task ChangesOfDifferentBooksDoNotWaitForEachOther()
        {
            var store = NewStore(out var database);
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            var second = OpenStore(database);
            using var inside = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();

            var first = Task.Run(() => store.Change(new[] { new Book("Atomic Habits") }, edit =>
            {
                edit.FindExisting(new Book("Atomic Habits")).LastError = "first";
                inside.Set();
                release.Wait(TimeSpan.FromSeconds(60));
                return (true, 0);
            }));
            Assert.True(inside.Wait(TimeSpan.FromSeconds(60)));
            // While the first change holds its book, a change of another book goes through on its own connection.
            var other = Task.Run(() => second.Change(new[] { new Book("Deep Work", "Cal Newport") }, edit =>
            {
                edit.FindExisting(new Book("Deep Work", "Cal Newport")).LastError = "second";
                return (true, 0);
            }));
            var otherEnded = await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(60))) == other;
            release.Set();
            await first;

            Assert.True(otherEnded, "the change of another book waited for the first");
            Assert.Equal("second", store.Find(new Book("Deep Work", "Cal Newport")).Entry!.LastError);
            Assert.Equal("first", store.Find(new Book("Atomic Habits")).Entry!.LastError);
        }

        [Fact]
        public async Task ChangesOfOneBookAreSerialised()
        {
            var store = NewStore(out var database);
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            var second = OpenStore(database);
            using var inside = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var book = new Book("A Book Not Yet Recorded");

            var first = Task.Run(() => store.Change(new[] { book }, edit =>
            {
                edit.Add(book, DateTime.Now).LastError = "first";
                inside.Set();
                release.Wait(TimeSpan.FromSeconds(60));
                return (true, 0);
            }));
            Assert.True(inside.Wait(TimeSpan.FromSeconds(60)));
            // The second change of the same (new) book waits for the first, then sees what it wrote: one book, not two.
            var sawFirst = Task.Run(() => second.Change(new[] { book }, edit =>
            {
                var entry = edit.Find(book).Entry;
                if (entry is null) edit.Add(book, DateTime.Now).LastError = "second";
                else entry.LastError += "+second";
                return (true, entry != null);
            }));
            var waited = SpinWait.SpinUntil(() => Waiting(database) > 0, 60_000);
            Assert.False(sawFirst.IsCompleted);
            release.Set();
            await first;

            Assert.True(waited, "the second change waited for a lock the first held");
            Assert.True(await sawFirst, "the second change saw the first one's book");
            Assert.Equal("first+second", store.Find(book).Entry!.LastError);
            Assert.Single(store.List(e => e.Book.SameTitle(book)));
        }

        [Fact]
        public void AStoreOfAnOlderOrMissingSchemaIsRefused()
        {
            var database = _server.NewDatabase();
            var store = PostgresLibrary.OpenLedger(Settings(database), _server.Password, "test");
            Assert.Throws<StoreSchemaMissingException>(() => store.Read());

            Execute(database, Migration(1) + "CREATE TABLE bookbatch_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), module_version text NOT NULL);" +
                              "INSERT INTO bookbatch_schema (version, module_version) VALUES (1, 'old');");
            Assert.Throws<StoreSchemaOlderException>(() => store.Read());
        }

        [Fact]
        public void Version1MigratesToTheLatestAndTheLedgerWorks()
        {
            var database = _server.NewDatabase();
            Execute(database, Migration(1) + "CREATE TABLE bookbatch_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), module_version text NOT NULL);" +
                              "INSERT INTO bookbatch_schema (version, module_version) VALUES (1, 'old');");

            var status = PostgresLibrary.Open(Settings(database), _server.Password, "test").Migrate(CancellationToken.None);

            Assert.Equal(new[] { 2, 3, 4, 5, 6 }, status.Applied);
            var store = PostgresLibrary.OpenLedger(Settings(database), _server.Password, "test");
            store.Load(Parse(Database), replace: false, CancellationToken.None);
            Assert.Equal(Database, Encoding.UTF8.GetString(LedgerJson.Write(store.Read())));
        }

        private IPostgresLedger NewStore(out string database)
        {
            database = _server.NewDatabase();
            PostgresLibrary.Open(Settings(database), _server.Password, "test").Migrate(CancellationToken.None);
            return OpenStore(database);
        }

        private IPostgresLedger OpenStore(string database) => PostgresLibrary.OpenLedger(Settings(database), _server.Password, "test");

        private PostgresSettings Settings(string database) => new("127.0.0.1", _server.Port, database, PostgresServer.UserName, null);

        private static BookLedger Parse(string json) => LedgerJson.Parse(Encoding.UTF8.GetBytes(json), "database.json");

        // Version 1's script as the module embeds it (a database of an earlier module).
        private static string Migration(int version)
        {
            var path = System.IO.Directory.GetFiles(System.IO.Path.Combine(global::BookBatch.Tests.Hosting.ModuleAssembly.RepositoryRoot, "src", "BookBatch.Postgres", "Migrations"), $"{version:0000}_*.sql").Single();
            return System.IO.File.ReadAllText(path);
        }

        private System.Collections.Generic.List<string> Entries(string database)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand("SELECT book_id || entry::text || coalesce(updated_at::text, '') FROM bookbatch_books ORDER BY entry_order", connection);
            using var reader = command.ExecuteReader();
            var rows = new System.Collections.Generic.List<string>();
            while (reader.Read()) rows.Add(reader.GetString(0));
            return rows;
        }

        private int Waiting(string database)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted", connection);
            return (int)(long)command.ExecuteScalar()!;
        }

        private void Execute(string database, string sql)
        {
            using var connection = new NpgsqlConnection(_server.ConnectionString(database));
            connection.Open();
            using var command = new NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        // A ledger as read, for assertions by title.
        private sealed class LedgerStore
        {
            public LedgerStore(BookLedger ledger) => Ledger = ledger;
            public BookLedger Ledger { get; }
            public LedgerEntry Find(string title) => Ledger.FindExisting(new Book(title));
        }
    }
}
