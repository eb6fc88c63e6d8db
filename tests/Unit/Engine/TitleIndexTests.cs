using System.Collections.Generic;
using BookBatch.Engine.Ledger;
using Xunit;

namespace BookBatch.Tests.Engine
{
    public class TitleIndexTests
    {
        private static List<int> Positions(TitleIndex index, int hash)
        {
            var positions = new List<int>();
            for (var i = index.First(hash); i >= 0; i = index.Next(i)) positions.Add(i);
            return positions;
        }

        [Fact]
        public void EachHashLeadsToItsPositionsInOrderThroughCollisionsAndGrowth()
        {
            // Hashes that share their low bits land in the same slots and must be told apart; the index starts small
            // and grows many times.
            var index = new TitleIndex(1);
            var expected = new Dictionary<int, List<int>>();
            for (var position = 0; position < 5000; position++)
            {
                var hash = (position % 37) << 20 | (position % 3); // 111 hashes, all alike in their low bits
                index.Add(hash);
                if (!expected.TryGetValue(hash, out var list)) expected[hash] = list = new List<int>();
                list.Add(position);
            }
            foreach (var pair in expected) Assert.Equal(pair.Value, Positions(index, pair.Key));
            Assert.Empty(Positions(index, 12345));
            Assert.Empty(Positions(index, -1));
        }
    }
}
