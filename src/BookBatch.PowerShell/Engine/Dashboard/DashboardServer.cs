using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Coordination;
using BookBatch.Engine.Workspaces;

namespace BookBatch.Engine.Dashboard
{
    /// <summary>
    /// The dashboard's web server: the page at <c>/</c>, the server-sent events of the body at <c>/events</c>, and the
    /// snapshot as JSON at <c>/snapshot.json</c>; read-only (GET only). With an access token it answers only requests
    /// that carry it (<c>?token=</c> or <c>Authorization: Bearer</c>).
    /// </summary>
    public sealed class DashboardServer : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly SnapshotFeed _feed;
        private readonly string? _token;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _accepting;
        private readonly string _nonce = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

        private DashboardServer(HttpListener listener, SnapshotFeed feed, string host, int port, string? token)
        {
            _listener = listener;
            _feed = feed;
            _token = token;
            Port = port;
            Url = $"http://{host}:{port}/" + (token is null ? string.Empty : "?token=" + Uri.EscapeDataString(token));
            _accepting = new Thread(Accept) { IsBackground = true, Name = "BookBatch dashboard server" };
            _accepting.Start();
        }

        /// <summary>The page's address (with the token, when there is one).</summary>
        public string Url { get; }

        /// <summary>The port it listens on.</summary>
        public int Port { get; }

        /// <summary>True when the address is this machine only (127.0.0.1, ::1, localhost).</summary>
        public static bool IsLoopback(string address) =>
            string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(address.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        /// <summary>
        /// Starts a dashboard of the workspace on <paramref name="address"/> and <paramref name="port"/> (0: a free one). An address
        /// that is not this machine's own needs <paramref name="token"/>.
        /// </summary>
        public static DashboardServer Start(Workspace workspace, IWorkspaceCoordination coordination, string address, int port, string? token)
        {
            var loopback = IsLoopback(address);
            if (!loopback && string.IsNullOrEmpty(token)) throw new DashboardTokenRequiredException(address);
            var any = address == "0.0.0.0" || address == "*" || address == "+" || address == "::" || address == "[::]";
            if (!any && !loopback && !IPAddress.TryParse(address.Trim('[', ']'), out _)) throw new ArgumentException($"'{address}' is not an IP address of this machine.", nameof(address));
            var host = any ? "+" : address.Contains(":") && !address.StartsWith("[", StringComparison.Ordinal) ? "[" + address + "]" : address;
            // Windows (http.sys) lets a user who is not an administrator listen on localhost only, not on 127.0.0.1.
            if (loopback && System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)) host = "localhost";
            var shown = any ? Dns.GetHostName() : host;
            for (var tries = 0; ; tries++)
            {
                var chosen = port == 0 ? FreePort(loopback) : port;
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://{host}:{chosen}/");
                // The listener answers only requests whose Host is one of its prefixes: on this machine's own address, a
                // page elsewhere that points a name of its own at it (DNS rebinding) is not answered.
                if (loopback && host != "localhost") listener.Prefixes.Add($"http://localhost:{chosen}/");
                try { listener.Start(); }
                catch (Exception e) when (e is HttpListenerException or SocketException)
                {
                    listener.Close();
                    if (port == 0 && tries < 5) continue; // taken between the look and the start
                    throw new DashboardListenException(address, chosen, e);
                }
                SnapshotFeed? feed = null;
                try { feed = new SnapshotFeed(workspace, coordination); }
                catch
                {
                    listener.Close();
                    throw;
                }
                return new DashboardServer(listener, feed, shown, chosen, string.IsNullOrEmpty(token) ? null : token);
            }
        }

        private static int FreePort(bool loopback)
        {
            var probe = new TcpListener(loopback ? IPAddress.Loopback : IPAddress.Any, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private void Accept()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try { context = _listener.GetContext(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                Task.Factory.StartNew(() => Answer(context), TaskCreationOptions.LongRunning);
            }
        }

        private void Answer(HttpListenerContext context)
        {
            var response = context.Response;
            try
            {
                var refusal = Refusal(context.Request);
                if (refusal != null)
                {
                    Text(response, refusal.Value.Status, refusal.Value.Why, "text/plain");
                    return;
                }
                switch (context.Request.Url.AbsolutePath)
                {
                    case "/": Text(response, 200, DashboardHtml.Page(_nonce), "text/html"); break;
                    case "/events": Events(response); break;
                    case "/snapshot.json": Text(response, 200, System.Text.Json.JsonSerializer.Serialize(_feed.Snapshot), "application/json"); break;
                    default: Text(response, 404, "Not found: the dashboard is at /.", "text/plain"); break;
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The page went away.
            }
            finally
            {
                try { response.Close(); } catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException) { }
            }
        }

        private (int Status, string Why)? Refusal(HttpListenerRequest request)
        {
            if (request.HttpMethod != "GET") return (405, "The dashboard is read-only: GET only.");
            if (_token != null)
            {
                var given = request.QueryString["token"];
                var header = request.Headers["Authorization"];
                if (given is null && header != null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) given = header.Substring(7).Trim();
                if (given is null || !SameText(given, _token)) return (401, "The dashboard needs its access token: open it as /?token=<token>.");
            }
            return null;
        }

        // Compares in a time that does not depend on where the texts differ.
        private static bool SameText(string a, string b)
        {
            var x = Encoding.UTF8.GetBytes(a);
            var y = Encoding.UTF8.GetBytes(b);
            var diff = x.Length ^ y.Length;
            for (var i = 0; i < Math.Min(x.Length, y.Length); i++) diff |= x[i] ^ y[i];
            return diff == 0;
        }

        private static void Text(HttpListenerResponse response, int status, string text, string type)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            response.StatusCode = status;
            response.ContentType = type + "; charset=utf-8";
            response.Headers["Cache-Control"] = "no-store";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes, 0, bytes.Length);
        }

        private void Events(HttpListenerResponse response)
        {
            response.StatusCode = 200;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers["Cache-Control"] = "no-store";
            response.SendChunked = true;
            var output = response.OutputStream;
            long version = -1;
            while (!_stop.IsCancellationRequested)
            {
                var (newer, message) = _feed.WaitNewer(version, TimeSpan.FromSeconds(15), _stop.Token);
                // A comment line when nothing changed keeps proxies and the browser from closing a quiet stream.
                var text = newer == version ? ": still here\n\n" : "data: " + message + "\n\n";
                version = newer;
                var bytes = Encoding.UTF8.GetBytes(text);
                output.Write(bytes, 0, bytes.Length);
                output.Flush();
            }
        }

        /// <summary>Stops serving and reading.</summary>
        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            try { _listener.Close(); } catch (ObjectDisposedException) { }
            _feed.Dispose();
            if (Thread.CurrentThread != _accepting) _accepting.Join(TimeSpan.FromSeconds(5));
        }
    }
}
