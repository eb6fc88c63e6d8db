using System.Globalization;
using System.Text;

namespace BookBatch.Screen
{
    /// <summary>
    /// How many cells of a terminal a text takes, as PowerShell's own tables count them: East Asian wide and fullwidth
    /// characters take two, combining marks and format characters none, everything else one.
    /// </summary>
    internal static class TextWidth
    {
        /// <summary>The cells <paramref name="text"/> takes.</summary>
        public static int Of(string text)
        {
            var width = 0;
            for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1) width += OfCharacterAt(text, i);
            return width;
        }

        /// <summary>
        /// <paramref name="text"/> in exactly <paramref name="width"/> cells: cut with "…" when it is wider, padded with
        /// spaces when it is narrower.
        /// </summary>
        public static string Fit(string text, int width)
        {
            var taken = Of(text);
            if (taken <= width) return text + new string(' ', width - taken);
            var fitted = new StringBuilder();
            var used = 0;
            for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                var cells = OfCharacterAt(text, i);
                if (used + cells > width - 1) break;
                fitted.Append(text, i, char.IsSurrogatePair(text, i) ? 2 : 1);
                used += cells;
            }
            fitted.Append('…');
            return fitted.Append(' ', width - 1 - used).ToString();
        }

        private static int OfCharacterAt(string text, int index)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(text, index))
            {
                case UnicodeCategory.NonSpacingMark:
                case UnicodeCategory.EnclosingMark:
                case UnicodeCategory.Format:
                case UnicodeCategory.Control:
                    return 0;
            }
            return IsWide(char.ConvertToUtf32(text, index)) ? 2 : 1;
        }

        // East Asian Wide (W) and Fullwidth (F) in Unicode's EastAsianWidth.txt, with the emoji that terminals draw wide.
        private static bool IsWide(int c) =>
            c >= 0x1100 && (
                c <= 0x115F ||                      // Hangul Jamo initial consonants
                c == 0x2329 || c == 0x232A ||
                (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || // CJK radicals … Yi
                (c >= 0xAC00 && c <= 0xD7A3) ||     // Hangul syllables
                (c >= 0xF900 && c <= 0xFAFF) ||     // CJK compatibility ideographs
                (c >= 0xFE10 && c <= 0xFE19) ||     // vertical forms
                (c >= 0xFE30 && c <= 0xFE6F) ||     // CJK compatibility forms
                (c >= 0xFF00 && c <= 0xFF60) ||     // fullwidth forms
                (c >= 0xFFE0 && c <= 0xFFE6) ||
                (c >= 0x1F300 && c <= 0x1F64F) ||   // pictographs, emoticons
                (c >= 0x1F900 && c <= 0x1F9FF) ||
                (c >= 0x20000 && c <= 0x3FFFD));    // CJK extension planes
    }
}
