using System.Globalization;
using System.Text;

namespace BookBatch.Engine.Books
{
    /// <summary>
    /// Text from outside (a book line, a URL a stage reported) as a message may quote it: cut to a length a screen
    /// shows, and with control characters written as <c>\u0000</c>, so that a 1 MB line or a NUL never floods or
    /// garbles the screen.
    /// </summary>
    public static class Excerpt
    {
        /// <summary>The first <paramref name="max"/> characters of the text, control characters made visible, "…" when cut.</summary>
        public static string Of(string text, int max = 60)
        {
            var result = new StringBuilder();
            foreach (var c in text)
            {
                if (result.Length >= max)
                {
                    result.Append('…');
                    break;
                }
                if (char.IsControl(c)) result.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                else result.Append(c);
            }
            return result.ToString();
        }
    }
}
