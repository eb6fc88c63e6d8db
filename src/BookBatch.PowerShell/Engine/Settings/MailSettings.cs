using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// An <c>email</c> target's server, sender and recipients. The password is never here: the target names the
    /// environment variable that holds it, or (a user name without a variable) it is the one stored for the current user
    /// for this server and user name by Set-BookBatchMailCredential.
    /// </summary>
    public sealed class MailSettings
    {
        /// <summary>The keys of an email target.</summary>
        public static readonly IReadOnlyList<string> Keys = new[]
        {
            "name", "server", "port", "security", "from", "to", "userName", "passwordVariable", "trustCertificate", "when", "include", "timeoutSeconds",
        };

        // An address as the settings take it: local@domain, no display name, nothing a header could be split at.
        private static readonly Regex Address = new(@"^[^\s@<>,;:""()\[\]\\]+@[^\s@<>,;:""()\[\]\\]+$", RegexOptions.CultureInvariant);
        private static readonly Regex Thumbprint = new("^([0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$", RegexOptions.CultureInvariant);

        private MailSettings(string server, int port, MailSecurity security, string from, IReadOnlyList<string> to, string? userName,
            string? passwordVariable, string? trustCertificate)
        {
            Server = server;
            Port = port;
            Security = security;
            From = from;
            To = to;
            UserName = userName;
            PasswordVariable = passwordVariable;
            TrustCertificate = trustCertificate;
        }

        /// <summary>The SMTP server's host name or address.</summary>
        public string Server { get; }
        /// <summary>The server's port (587 for STARTTLS, 465 for TLS, 25 without).</summary>
        public int Port { get; }
        /// <summary>STARTTLS, TLS or (to a loopback server only) none.</summary>
        public MailSecurity Security { get; }
        /// <summary>The sender's address.</summary>
        public string From { get; }
        /// <summary>The recipients' addresses.</summary>
        public IReadOnlyList<string> To { get; }
        /// <summary>The login's user name; null to send without logging in.</summary>
        public string? UserName { get; }
        /// <summary>The environment variable that holds the login's password; null for the password stored for the current user.</summary>
        public string? PasswordVariable { get; }
        /// <summary>The SHA-1 or SHA-256 fingerprint (hex) of a server certificate trusted although no authority vouches for it.</summary>
        public string? TrustCertificate { get; }

        /// <summary>Where the mail goes, as the journal names it: the server, never the login.</summary>
        public string Destination => $"{(Security == MailSecurity.Tls ? "smtps" : "smtp")}://{Server}:{Port}";

        /// <summary>True for an address the settings accept.</summary>
        public static bool IsAddress(string? text) => text != null && Address.IsMatch(text);

        internal MailSettings WithRecipients(IReadOnlyList<string> more) =>
            new(Server, Port, Security, From, To.Concat(more).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), UserName, PasswordVariable, TrustCertificate);

        internal static MailSettings Read(SettingsReader reader, JsonElement item, string key)
        {
            reader.KnownKeys(item, Keys, key);
            var server = reader.String(item, "server", null, key);
            if (string.IsNullOrWhiteSpace(server) || Uri.CheckHostName(server) == UriHostNameType.Unknown)
                throw reader.Invalid(key + ".server", "is required: the SMTP server's host name or address, such as smtp.example.com");
            var securityText = reader.String(item, "security", "starttls", key)!;
            var security = reader.Choice(securityText, key + ".security", Securities);
            if (security == MailSecurity.None && !IsLoopback(server!))
                throw reader.Invalid(key + ".security", $"'none' sends the mail and the password in clear text: it is allowed only to a server on this machine (localhost, 127.0.0.1, ::1), not to '{server}'. Use starttls or tls");
            var port = reader.Integer(item, "port", security switch { MailSecurity.Tls => 465, MailSecurity.None => 25, _ => 587 }, min: 1, max: 65535, key);
            var from = reader.String(item, "from", null, key);
            if (!IsAddress(from)) throw reader.Invalid(key + ".from", "is required: the sender's address, such as bookbatch@example.com");
            var to = reader.Strings(item, "to", key, "an address or an array of addresses", single: true);
            if (to.Count == 0) throw reader.Invalid(key + ".to", "must name at least one recipient's address");
            foreach (var address in to)
                if (!IsAddress(address)) throw reader.Invalid(key + ".to", $"'{address}' is not an address such as ops@example.com");
            var userName = reader.String(item, "userName", null, key);
            var variable = reader.String(item, "passwordVariable", null, key);
            if (userName != null && variable != null && string.IsNullOrWhiteSpace(variable))
                throw reader.Invalid(key + ".passwordVariable", "must name the environment variable that holds the password (never the password itself), or be left out to use the password stored by Set-BookBatchMailCredential");
            if (userName is null && variable != null) throw reader.Invalid(key + ".userName", "is required with passwordVariable: the login's user name");
            var trust = reader.String(item, "trustCertificate", null, key);
            if (trust != null && !Thumbprint.IsMatch(trust))
                throw reader.Invalid(key + ".trustCertificate", "must be the server certificate's SHA-1 or SHA-256 fingerprint in hex (40 or 64 digits)");
            return new MailSettings(server!, port, security, from!, to, userName, variable, trust);
        }

        private static bool IsLoopback(string server) =>
            string.Equals(server, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(server.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        private static readonly Dictionary<string, MailSecurity> Securities = new(StringComparer.OrdinalIgnoreCase)
        {
            ["starttls"] = MailSecurity.StartTls, ["tls"] = MailSecurity.Tls, ["none"] = MailSecurity.None,
        };
    }
}
