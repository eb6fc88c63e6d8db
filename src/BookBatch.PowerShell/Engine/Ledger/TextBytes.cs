using System;
using System.Text;

namespace BookBatch.Engine.Ledger
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

        /// <summary>The JSON text of a file's bytes, whatever of the encodings above it is in, without a BOM.</summary>
        public static ReadOnlyMemory<byte> Json(byte[] bytes)
        {
            var utf8 = ToUtf8(bytes);
            var skip = BomLength(utf8);
            return new ReadOnlyMemory<byte>(utf8, skip, utf8.Length - skip);
        }
    }
}
