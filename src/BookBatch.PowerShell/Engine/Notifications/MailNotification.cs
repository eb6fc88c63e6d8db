using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using BookBatch.Engine.Batches;
using BookBatch.Engine.Credentials;
using BookBatch.Engine.Settings;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace BookBatch.Engine.Notifications
{
    /// <summary>
    /// Sends the completion mail through SMTP with MailKit: STARTTLS, TLS, or (to a loopback server) none; a server
    /// certificate no authority vouches for only when its fingerprint is the target's <c>trustCertificate</c>; the
    /// login's password from the environment variable the target names or from the current user's stored credentials,
    /// and never in an error.
    /// </summary>
    internal static class MailNotification
    {
        public static async Task<(NotificationResult, int?, string?)> SendAsync(NotificationTarget target, BatchEnd end, MailCredentialStore credentials,
            CancellationToken cancellation)
        {
            var mail = target.Mail!;
            string? password = null;
            if (mail.UserName != null)
            {
                var (found, missing) = Password(mail, credentials);
                if (found is null) return (NotificationResult.Failed, null, missing);
                password = found;
            }
            using var client = new SmtpClient { Timeout = (int)target.Timeout.TotalMilliseconds };
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || IsTrusted(certificate, mail.TrustCertificate);
            try
            {
                await client.ConnectAsync(mail.Server, mail.Port, Options(mail.Security), cancellation).ConfigureAwait(false);
                if (password != null) await client.AuthenticateAsync(mail.UserName!, password, cancellation).ConfigureAwait(false);
                await client.SendAsync(Message(target, end), cancellation).ConfigureAwait(false);
                await client.DisconnectAsync(true, cancellation).ConfigureAwait(false);
                return (NotificationResult.Sent, null, null);
            }
            catch (SmtpCommandException e)
            {
                var what = e.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => $"the server refused the recipient {e.Mailbox?.Address}",
                    SmtpErrorCode.SenderNotAccepted => $"the server refused the sender {e.Mailbox?.Address}",
                    _ => "the server refused the message",
                };
                return (NotificationResult.Failed, (int)e.StatusCode, Clean($"{what}: {(int)e.StatusCode} {e.Message}", password));
            }
            catch (AuthenticationException e)
            {
                return (NotificationResult.Failed, null, Clean($"the server refused the login of '{mail.UserName}': {e.Message}", password));
            }
            catch (SslHandshakeException)
            {
                return (NotificationResult.Failed, null, $"the server's certificate is not trusted: install its authority, or set trustCertificate to its fingerprint");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (NotificationResult.Failed, null, Clean($"{mail.Destination}: {e.Message}", password));
            }
        }

        // The password from the target's environment variable, else the one stored for this server and user; or why there is none.
        private static (string? Password, string? Missing) Password(MailSettings mail, MailCredentialStore credentials)
        {
            if (mail.PasswordVariable != null)
            {
                var value = Environment.GetEnvironmentVariable(mail.PasswordVariable);
                return string.IsNullOrEmpty(value) ? (null, $"the environment variable {mail.PasswordVariable} that holds the password of '{mail.UserName}' is not set") : (value, null);
            }
            try
            {
                return credentials.Password(mail.Server, mail.UserName!) is string stored && stored.Length > 0 ? (stored, null)
                    : (null, $"no password is stored for '{mail.UserName}' at {mail.Server}: as the user the batches run as, run "
                        + $"Set-BookBatchMailCredential -Server '{mail.Server}' -Credential (Get-Credential '{mail.UserName!.Replace("'", "''")}')");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or PlatformNotSupportedException or CryptographicException)
            {
                return (null, e.Message);
            }
        }

        private static MimeMessage Message(NotificationTarget target, BatchEnd end)
        {
            var message = new MimeMessage { Subject = MailContent.Subject(end) };
            message.From.Add(new MailboxAddress("BookBatch", target.Mail!.From));
            foreach (var to in target.Mail.To) message.To.Add(MailboxAddress.Parse(to));
            message.Body = new BodyBuilder { TextBody = MailContent.PlainText(target, end), HtmlBody = MailContent.Html(target, end) }.ToMessageBody();
            return message;
        }

        private static SecureSocketOptions Options(MailSecurity security) => security switch
        {
            MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
            MailSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };

        // A fingerprint in the settings trusts that one certificate (SHA-1 or SHA-256 of its bytes), whoever issued it.
        private static bool IsTrusted(X509Certificate? certificate, string? fingerprint)
        {
            if (certificate is null || fingerprint is null) return false;
            var raw = certificate.GetRawCertData();
            using HashAlgorithm hash = fingerprint.Length == 40 ? SHA1.Create() : SHA256.Create();
            return string.Equals(BitConverter.ToString(hash.ComputeHash(raw)).Replace("-", string.Empty), fingerprint, StringComparison.OrdinalIgnoreCase);
        }

        private static string Clean(string message, string? password) =>
            string.IsNullOrEmpty(password) ? message : message.Replace(password, "…");
    }
}
