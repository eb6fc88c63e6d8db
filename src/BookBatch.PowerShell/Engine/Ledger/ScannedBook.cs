using System;
using BookBatch.Engine.Books;

namespace BookBatch.Engine.Ledger
{
    /// <summary>
    /// A book as the scan of the file left it: where its title, author and object are in the file, and its title's
    /// hash. Its title is not kept as a string: 100,000 strings that live on are what the garbage collector copies
    /// through its generations; a string made and dropped at once costs next to nothing.
    /// </summary>
    internal readonly struct ScannedBook
    {
        // Positions are kept as ints into the file's bytes (the ledger holds those once): 100,000 of these are one
        // array, and every byte of it is zeroed and touched while the file is read.
        private readonly int _jsonStart, _jsonLength, _titleStart, _titleLength, _authorStart, _authorLength;
        private readonly bool _strict;
        private readonly byte _state;

        internal ScannedBook(int titleHash, int jsonStart, int jsonLength, int titleStart, int titleLength, int authorStart, int authorLength,
            bool strict, BookState state)
        {
            TitleHash = titleHash;
            _jsonStart = jsonStart;
            _jsonLength = jsonLength;
            _titleStart = titleStart;
            _titleLength = titleLength;
            _authorStart = authorStart;
            _authorLength = authorLength;
            _strict = strict;
            _state = (byte)state;
        }

        /// <summary>The tidy title's hash by <see cref="Book.Comparer"/>.</summary>
        internal int TitleHash { get; }

        /// <summary>The book's object in <paramref name="file"/> (the bytes it was scanned in).</summary>
        internal ReadOnlyMemory<byte> Json(ReadOnlyMemory<byte> file) => file.Slice(_jsonStart, _jsonLength);

        /// <summary>True when the bytes have no comment or trailing comma and may be written back as they are.</summary>
        internal bool Strict => _strict;

        /// <summary>The book's entry, its fields read from <paramref name="file"/> (the bytes the book was scanned in).</summary>
        internal LedgerEntry ToEntry(ReadOnlyMemory<byte> file)
        {
            var json = Json(file);
            var title = Book.TidyTitle(LedgerEntry.StringAt(json.Span, _titleStart, _titleLength)!);
            return new LedgerEntry(title, json, _authorStart, _authorLength, _strict, (BookState)_state);
        }
    }
}
