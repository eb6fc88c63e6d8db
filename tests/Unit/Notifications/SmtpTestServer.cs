using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace BookBatch.Tests.Notifications
{
    /// <summary>One mail the test server accepted: the envelope's recipients and the message as MimeKit reads it.</summary>
    public sealed record ReceivedMail(string[] Recipients, MimeMessage Message);

    /// <summary>
    /// A real SMTP server in the test process on a free loopback port (the SmtpServer package): with a certificate it
    /// offers STARTTLS (or, with implicitTls, speaks TLS from the first byte as on port 465), it accepts one user and password, refuses the recipients whose address starts with "refused",
    /// and keeps every message it accepted.
    /// </summary>
    public sealed class SmtpTestServer : IDisposable
    {
        public const string User = "bookbatch", Password = "pa55-w0rd-s3cret";

        private readonly CancellationTokenSource _stop = new();

        public SmtpTestServer(X509Certificate2? certificate = null, bool implicitTls = false)
        {
            Port = WebhookListener.FreePort();
            var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e =>
            {
                e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Port)).AllowUnsecureAuthentication(certificate is null).AuthenticationRequired(false);
                if (certificate != null) e.Certificate(certificate).IsSecure(implicitTls);
            }).Build();
            var services = new SmtpServer.ComponentModel.ServiceProvider();
            services.Add(new Store(Mails));
            services.Add(new Filter());
            services.Add(new Authenticator());
            var server = new SmtpServer.SmtpServer(options, services);
            _ = server.StartAsync(_stop.Token);
        }

        public int Port { get; }

        public ConcurrentQueue<ReceivedMail> Mails { get; } = new();

        /// <summary>A self-signed certificate for localhost, with its private key, and its SHA-256 fingerprint.</summary>
        public static (X509Certificate2 Certificate, string Sha256) SelfSigned()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1));
            var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
            return (certificate, Convert.ToHexString(SHA256.HashData(certificate.RawData)));
        }

        public void Dispose() => _stop.Cancel();

        private sealed class Store : MessageStore
        {
            private readonly ConcurrentQueue<ReceivedMail> _mails;
            public Store(ConcurrentQueue<ReceivedMail> mails) => _mails = mails;

            public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
            {
                using var stream = new MemoryStream(buffer.ToArray());
                var to = new System.Collections.Generic.List<string>();
                foreach (var mailbox in transaction.To) to.Add(mailbox.User + "@" + mailbox.Host);
                _mails.Enqueue(new ReceivedMail(to.ToArray(), MimeMessage.Load(stream)));
                return Task.FromResult(SmtpResponse.Ok);
            }
        }

        private sealed class Filter : MailboxFilter
        {
            public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
                Task.FromResult(!to.User.StartsWith("refused", StringComparison.Ordinal));
        }

        private sealed class Authenticator : UserAuthenticator
        {
            public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken) =>
                Task.FromResult(user == User && password == Password);
        }
    }
}
