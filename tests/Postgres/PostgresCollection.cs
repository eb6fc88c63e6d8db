using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>One server for every test of the run.</summary>
    [CollectionDefinition(Name)]
    public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
    {
        public const string Name = "PostgreSQL";
    }
}
