using System;
using System.Text;

namespace BookBatch.Engine.Storage
{
    /// <summary>
    /// The encodings JSON files arrive in: UTF-8 with or without a BOM (Python, PowerShell 7, Set-Content -Encoding
    /// UTF8 in Windows PowerShell) and UTF-16 with a BOM (Windows PowerShell 5.1's Out-File and '>').
    /// </summary>
    public static class TextBytes
    {
        /// <summary>The bytes as UTF-8: UTF-16 (by its BOM) is converted, anything else is returned as it is.</summary>
        public static byte[] ToUtf8(byte[] bytes)
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) return Encoding.UTF8.GetBytes(Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2));
            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return Encoding.UTF8.GetBytes(Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2));
            return bytes;
        }

        /// <summary>3 when the UTF-8 bytes start with a BOM, else 0.</summary>
        public static int BomLength(byte[] utf8) => utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF ? 3 : 0;

        /// <summary>
        /// The index of the first byte from <paramref name="start"/> that is not part of well-formed UTF-8 (a stray
        /// Windows-1252 'é', a cut sequence, an overlong form or a surrogate), or -1 when all of it is UTF-8.
        /// </summary>
        public static int InvalidUtf8At(byte[] bytes, int start, int end)
        {
            for (var i = start; i < end;)
            {
                var b = bytes[i];
                if (b < 0x80) { i++; continue; }
                var (length, low, high) = b switch
                {
                    >= 0xC2 and <= 0xDF => (2, 0x80, 0xBF),
                    0xE0 => (3, 0xA0, 0xBF),                 // no overlong forms
                    0xED => (3, 0x80, 0x9F),                 // no surrogates
                    >= 0xE1 and <= 0xEF => (3, 0x80, 0xBF),
                    0xF0 => (4, 0x90, 0xBF),
                    >= 0xF1 and <= 0xF3 => (4, 0x80, 0xBF),
                    0xF4 => (4, 0x80, 0x8F),                 // nothing above U+10FFFF
                    _ => (0, 0, 0),
                };
                if (length == 0 || i + length > end || bytes[i + 1] < low || bytes[i + 1] > high) return i;
                for (var k = 2; k < length; k++)
                    if ((bytes[i + k] & 0xC0) != 0x80) return i;
                i += length;
            }
            return -1;
        }

        // Windows-1252's characters for 0x80-0x9F (its five holes kept as the C1 codes); 0xA0-0xFF are Latin-1's.
        private const string Windows1252High = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
                                               "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

        /// <summary>
        /// The bytes with every byte that is not well-formed UTF-8 read as Windows-1252 (what a file edited in an
        /// ANSI editor holds) and written as UTF-8; the same array when all of it is UTF-8 already. For the repair,
        /// which reads back what a damaged file still says rather than drop the book.
        /// </summary>
        public static byte[] Utf8FromMixed(byte[] bytes)
        {
            var bad = InvalidUtf8At(bytes, 0, bytes.Length);
            if (bad < 0) return bytes;
            var result = new System.Collections.Generic.List<byte>(bytes.Length + 16);
            var start = 0;
            while (bad >= 0)
            {
                for (var i = start; i < bad; i++) result.Add(bytes[i]);
                var b = bytes[bad];
                var c = b < 0xA0 ? Windows1252High[b - 0x80] : (char)b;
                result.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
                start = bad + 1;
                bad = InvalidUtf8At(bytes, start, bytes.Length);
            }
            for (var i = start; i < bytes.Length; i++) result.Add(bytes[i]);
            return result.ToArray();
        }

        /// <summary>The 1-based line and column of a byte index, counted the way an editor shows them.</summary>
        public static (long Line, long Column) Position(byte[] file, int offset, long index)
        {
            long line = 1, column = 1;
            for (long i = offset; i < offset + index && i < file.Length; i++)
            {
                if (file[i] == (byte)'\n') { line++; column = 1; }
                else if ((file[i] & 0xC0) != 0x80) column++;
            }
            return (line, column);
        }

        /// <summary>The JSON text of a file's bytes, whatever of the encodings above it is in, without a BOM.</summary>
        public static ReadOnlyMemory<byte> Json(byte[] bytes)
        {
            var utf8 = ToUtf8(bytes);
            var skip = BomLength(utf8);
            return new ReadOnlyMemory<byte>(utf8, skip, utf8.Length - skip);
        }
    }
}
