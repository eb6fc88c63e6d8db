using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BookBatch.Engine.Credentials
{
    /// <summary>
    /// The passwords of mail logins, stored for the current user, one file a login (server and user name) named by a
    /// hash of the two, so neither becomes a path. On Linux and macOS the file is in the user's config folder
    /// (<c>$XDG_CONFIG_HOME/bookbatch/mail-credentials</c> or <c>~/.config/…</c>), the folder 0700 and the file 0600 from
    /// the moment it exists, and a file others may read is refused. On Windows the password is encrypted with DPAPI for
    /// the current user (<c>%APPDATA%\BookBatch\mail-credentials</c>). See docs/DECISIONS.md, the mail credential.
    /// </summary>
    public sealed class MailCredentialStore
    {
        /// <summary>A store in <paramref name="folder"/>.</summary>
        public MailCredentialStore(string folder) => Folder = folder;

        /// <summary>The folder of the store.</summary>
        public string Folder { get; }

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>The current user's store.</summary>
        public static MailCredentialStore ForCurrentUser()
        {
            if (IsWindows) return new(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "BookBatch", "mail-credentials"));
            var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(config) || !Path.IsPathRooted(config))
                config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return new(Path.Combine(config, "bookbatch", "mail-credentials"));
        }

        /// <summary>The file that keeps the password of <paramref name="userName"/> at <paramref name="server"/>.</summary>
        public string PathOf(string server, string userName)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Normal(server) + "\n" + userName));
            return Path.Combine(Folder, BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty).ToLowerInvariant() + ".json");
        }

        /// <summary>Stores (or replaces) the password of a login.</summary>
        public StoredMailLogin Save(string server, string userName, string password)
        {
            var path = PathOf(server, userName);
            var saved = DateTime.UtcNow;
            var bytes = Record(Normal(server), userName, password, saved);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            if (IsWindows) Directory.CreateDirectory(Folder);
            else UnixFileModes.CreateFolder(Folder);
            try
            {
                using (var stream = IsWindows ? new FileStream(temporary, FileMode.CreateNew, FileAccess.Write) : UnixFileModes.CreateNew(temporary))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                if (File.Exists(path)) File.Replace(temporary, path, null);
                else File.Move(temporary, path);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            return new StoredMailLogin(Normal(server), userName, saved, path);
        }

        /// <summary>
        /// The stored password of a login; null when none is stored. Throws <see cref="MailCredentialUnsafeException"/>
        /// for a file others may read, <see cref="InvalidDataException"/> for one that is not a stored password.
        /// </summary>
        public string? Password(string server, string userName)
        {
            var path = PathOf(server, userName);
            if (!File.Exists(path)) return null;
            if (!IsWindows && (UnixFileModes.Of(path) & UnixFileModes.GroupOrOthers) != 0) throw new MailCredentialUnsafeException(path);
            using var document = Parse(path);
            var root = document.RootElement;
            if (IsWindows && Text(root, "protectedPassword") is string blob)
            {
                try { return WindowsProtection.Unprotect(Convert.FromBase64String(blob)); }
                catch (Exception e) when (e is CryptographicException or FormatException) { throw Corrupt(path, "it cannot be decrypted by this user"); }
            }
            return !IsWindows && Text(root, "password") is string password ? password : throw Corrupt(path, "it holds no password");
        }

        /// <summary>The logins stored, by server and user name; a file that is not one is left out.</summary>
        public IReadOnlyList<StoredMailLogin> List()
        {
            if (!Directory.Exists(Folder)) return Array.Empty<StoredMailLogin>();
            var logins = new List<StoredMailLogin>();
            foreach (var path in Directory.GetFiles(Folder, "*.json"))
            {
                try
                {
                    using var document = Parse(path);
                    var root = document.RootElement;
                    if (Text(root, "server") is string server && Text(root, "userName") is string user && PathOf(server, user) == path)
                        logins.Add(new StoredMailLogin(server, user, root.TryGetProperty("saved", out var s) && s.TryGetDateTime(out var at) ? at : File.GetLastWriteTimeUtc(path), path));
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { }
            }
            return logins.OrderBy(l => l.Server, StringComparer.Ordinal).ThenBy(l => l.UserName, StringComparer.Ordinal).ToList();
        }

        /// <summary>Removes a login's stored password; false when none was stored.</summary>
        public bool Remove(string server, string userName)
        {
            var path = PathOf(server, userName);
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }

        private static byte[] Record(string server, string userName, string password, DateTime saved)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("server", server);
                w.WriteString("userName", userName);
                w.WriteString("saved", saved);
                if (IsWindows)
                    w.WriteString("protectedPassword", Convert.ToBase64String(WindowsProtection.Protect(password)));
                else w.WriteString("password", password);
                w.WriteEndObject();
            }
            return buffer.ToArray();
        }

        private static JsonDocument Parse(string path)
        {
            try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
            catch (JsonException) { throw Corrupt(path, "it is not JSON"); }
        }

        private static string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static InvalidDataException Corrupt(string path, string why) =>
            new($"the stored password '{path}' cannot be used ({why}): store it again with Set-BookBatchMailCredential");

        private static string Normal(string server) => server.Trim().ToLowerInvariant();
    }
}
