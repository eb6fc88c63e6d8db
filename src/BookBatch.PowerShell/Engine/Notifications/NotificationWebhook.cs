using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;

namespace BookBatch.Engine.Notifications
{
    /// <summary>POSTs a JSON body to a webhook; 2xx is sent, anything else failed with its status code.</summary>
    internal static class NotificationWebhook
    {
        // One client for the module's life (a client per call leaves sockets behind). Redirects are not followed: a
        // webhook that moved answers 3xx, which is reported, rather than the body going where the answer says.
        private static readonly HttpClient Client = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        public static async Task<(NotificationResult, int?, string?)> PostAsync(Uri url, byte[] body, CancellationToken cancellation)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.UserAgent.ParseAdd("BookBatch");
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code >= 200 && code < 300
                ? (NotificationResult.Sent, code, null)
                : (NotificationResult.Failed, code, $"the webhook answered HTTP {code} ({Books.Excerpt.Of(response.ReasonPhrase ?? string.Empty)})");
        }
    }
}
