using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace BookBatch.Tests.Notifications
{
    /// <summary>One request a webhook listener received, with what the workspace's journal held at that moment.</summary>
    public sealed record ReceivedRequest(string Method, string Path, string ContentType, string Body, bool JournalHadEnd);

    /// <summary>
    /// A webhook on 127.0.0.1 at a free port: answers every POST with a status code, or never answers (hangs) until
    /// disposed. Each request is kept, with whether the batch's journal already had its end line.
    /// </summary>
    public sealed class WebhookListener : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly string? _batches;
        private readonly int? _status;

        /// <summary>Listens; <paramref name="status"/> null: never answer.</summary>
        public WebhookListener(string? workspace, int? status = 204)
        {
            _batches = workspace is null ? null : Path.Combine(workspace, "batches");
            _status = status;
            Port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

        /// <summary>A URL of this listener whose path holds a secret token, as a real webhook's does.</summary>
        public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

        /// <summary>A port nothing listens on (refuses connections).</summary>
        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception) { return; } // stopped
                _ = Task.Run(() => Answer(context));
            }
        }

        private async Task Answer(HttpListenerContext context)
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, context.Request.ContentType ?? "", body, JournalHasEnd()));
            if (_status is null)
            {
                try { await Task.Delay(Timeout.Infinite, _stop.Token); } catch (OperationCanceledException) { }
            }
            try
            {
                context.Response.StatusCode = _status ?? 500;
                context.Response.Close();
            }
            catch (Exception) { } // the client gave up
        }

        private bool JournalHasEnd()
        {
            if (_batches is null || !Directory.Exists(_batches)) return false;
            foreach (var journal in Directory.GetFiles(_batches, "*.jsonl"))
            {
                using var stream = new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (new StreamReader(stream).ReadToEnd().Contains("\"event\":\"end\"")) return true;
            }
            return false;
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); _listener.Close(); } catch (Exception) { }
        }
    }
}
