using Xunit;

namespace BookBatch.Postgres.Tests
{
    /// <summary>
    /// A server of their own for the coordination tests, so that they (which mostly wait for leases to run out) run beside
    /// the other PostgreSQL tests instead of after them.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class CoordinationCollection : ICollectionFixture<PostgresServer>
    {
        public const string Name = "PostgreSQL coordination";
    }
}
