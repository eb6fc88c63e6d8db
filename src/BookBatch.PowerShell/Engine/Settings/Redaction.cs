using System;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// A webhook's URL is a secret: its path (and query, and any user information) is the token that lets anyone post.
    /// What is written down — the journal, a warning — names only the scheme and the host.
    /// </summary>
    internal static class Redaction
    {
        private const string Hidden = "…";

        /// <summary><c>scheme://host[:port]/…</c>.</summary>
        public static string Of(Uri url) => $"{url.Scheme}://{url.Authority}/{Hidden}";

        /// <summary>A message (an exception's, say) with the URL, its path, its query and its user information taken out.</summary>
        public static string Clean(string message, Uri? url)
        {
            if (url is null) return message;
            foreach (var whole in new[] { url.OriginalString, url.AbsoluteUri })
                message = message.Replace(whole, Of(url));
            foreach (var part in new[] { url.PathAndQuery, Uri.UnescapeDataString(url.PathAndQuery), url.Query, url.UserInfo })
                if (part.Length > 1) message = message.Replace(part, Hidden);
            return message;
        }
    }
}
