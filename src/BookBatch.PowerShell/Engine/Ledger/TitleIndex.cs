using System;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// The positions of a ledger's books by the hash of their titles: each hash leads to its positions in file order.
    /// Hashes may collide, so a lookup still compares the titles. Plain int arrays with open addressing, kept small (every page of a new array costs a fault when first touched): a ledger of
    /// 100,000 books is indexed in a few milliseconds and gives the garbage collector nothing to trace.
    /// </summary>
    internal sealed class TitleIndex
    {
        private int[] _slots = Array.Empty<int>(); // 0 when free, else 1 + the first position of a hash
        private int[] _hashes;                      // by position
        private int[] _next;                        // by position: the next position of the same hash, or -1
        private int _count;                         // positions added
        private int _mask;

        public TitleIndex(int capacity)
        {
            capacity = Math.Max(capacity, 4);
            _hashes = new int[capacity];
            _next = new int[capacity];
            Resize(capacity);
        }

        /// <summary>Adds the next position (positions are added in order, from 0) with its title's hash.</summary>
        public void Add(int hash)
        {
            var position = _count++;
            if (position == _hashes.Length)
            {
                Array.Resize(ref _hashes, 2 * position);
                Array.Resize(ref _next, 2 * position);
            }
            _hashes[position] = hash;
            _next[position] = -1;
            if (4 * _count > 3 * _slots.Length) Resize(_count); // at most three quarters full
            else Place(position);
        }

        /// <summary>The first position whose title has this hash, or -1.</summary>
        public int First(int hash)
        {
            for (var i = hash & _mask; _slots[i] != 0; i = (i + 1) & _mask)
                if (_hashes[_slots[i] - 1] == hash) return _slots[i] - 1;
            return -1;
        }

        /// <summary>The next position whose title has the hash of <paramref name="position"/>'s, or -1.</summary>
        public int Next(int position) => _next[position];

        private void Place(int position)
        {
            var hash = _hashes[position];
            var i = hash & _mask;
            for (; _slots[i] != 0; i = (i + 1) & _mask)
            {
                var last = _slots[i] - 1;
                if (_hashes[last] != hash) continue;
                while (_next[last] >= 0) last = _next[last]; // titles rarely repeat: a chain is short
                _next[last] = position;
                return;
            }
            _slots[i] = position + 1;
        }

        private void Resize(int count)
        {
            var size = 8;
            while (3 * size < 4 * count) size *= 2;
            _slots = new int[size];
            _mask = size - 1;
            for (var position = 0; position < _count; position++)
            {
                _next[position] = -1;
                Place(position);
            }
        }
    }
}
