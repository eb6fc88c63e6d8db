using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using BookBatch.Engine.Settings;

namespace BookBatch.Engine.Postgres
{
    /// <summary>
    /// The <c>store</c> section of <c>bookbatch.json</c> when it names PostgreSQL: where the server is and who logs in.
    /// The password is never here: it comes from the environment variable <see cref="PasswordVariable"/> names, a
    /// pgpass file (PGPASSFILE or ~/.pgpass, read by the driver) or a credential given to the command.
    /// </summary>
    public sealed class PostgresSettings
    {
        /// <summary>The key of the section in <c>bookbatch.json</c>.</summary>
        public const string Key = "store";

        /// <summary>The store kinds: the workspace's files (the default) and PostgreSQL.</summary>
        public static readonly IReadOnlyList<string> Kinds = new[] { "file", "postgres" };

        /// <summary>The keys of the section.</summary>
        public static readonly IReadOnlyList<string> SectionKeys = new[] { "kind", "host", "port", "database", "userName", "passwordVariable", "leaseSeconds" };

        /// <summary>Creates the settings of one connection.</summary>
        public PostgresSettings(string host, int port, string database, string userName, string? passwordVariable, TimeSpan? lease = null)
        {
            Lease = lease ?? PostgresLibrary.DefaultLease;
            Host = host;
            Port = port;
            Database = database;
            UserName = userName;
            PasswordVariable = passwordVariable;
        }

        /// <summary>The server's host name or address.</summary>
        public string Host { get; }
        /// <summary>The server's TCP port (5432 by default).</summary>
        public int Port { get; }
        /// <summary>The database that holds the BookBatch tables.</summary>
        public string Database { get; }
        /// <summary>The PostgreSQL user the module logs in as.</summary>
        public string UserName { get; }
        /// <summary>The environment variable holding the password, or null (then a pgpass file or a credential).</summary>
        public string? PasswordVariable { get; }

        /// <summary>
        /// How long a batch or worker that froze or was cut off keeps its books and places (<c>leaseSeconds</c>, 30 by default):
        /// after that the server ends its session and they are free. Not too short: a holder must reach the server once in a
        /// third of it.
        /// </summary>
        public TimeSpan Lease { get; }

        /// <summary>The connection as the messages name it: <c>host:port/database as user</c>, never with a password.</summary>
        public string Connection => $"{Host}:{Port}/{Database} as {UserName}";

        /// <summary>
        /// The password to log in with and where it came from, for the messages (never the password itself):
        /// <paramref name="given"/> (a credential given to the command) first, else the environment variable, else none (the
        /// driver then reads a pgpass file).
        /// </summary>
        public (string? Password, string Source) Login(string? given) =>
            given != null ? (given, "the -Credential parameter")
            : PasswordFromEnvironment() is { } fromVariable ? (fromVariable, $"the environment variable {PasswordVariable}")
            : (null, "a pgpass file or none (no -Credential" + (PasswordVariable is { } name ? $", ${name} empty)" : ", no store.passwordVariable)"));

        /// <summary>The password from <see cref="PasswordVariable"/>, or null when none is named or the variable is empty.</summary>
        public string? PasswordFromEnvironment() =>
            string.IsNullOrEmpty(PasswordVariable) ? null : Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } value ? value : null;

        /// <summary>
        /// The PostgreSQL store of the settings file <paramref name="path"/>, or null when the workspace keeps its store in
        /// its files (no settings file, no <c>store</c> section, or <c>"kind": "file"</c>). A section that is not right is a
        /// <see cref="SettingsInvalidException"/> naming its key; a misspelt kind names the nearest known one.
        /// </summary>
        public static PostgresSettings? Load(string path)
        {
            if (!File.Exists(path)) return null;
            var reader = new SettingsReader(path);
            using var doc = PipelineSettings.Parse(reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(Key, out var section)
                || section.ValueKind == JsonValueKind.Null) return null;
            reader.RequireObject(section, Key, "{\"kind\": \"postgres\", \"host\": \"db.example.com\", \"database\": \"bookbatch\", \"userName\": \"bookbatch\"}");
            reader.KnownKeys(section, SectionKeys, Key);
            var kind = reader.String(section, "kind", null, Key) ?? throw reader.Invalid(Key + ".kind", "is required: \"postgres\", or \"file\" for the workspace's own files");
            if (string.Equals(kind, "file", StringComparison.Ordinal)) return null;
            if (!string.Equals(kind, "postgres", StringComparison.Ordinal))
                throw reader.Invalid(Key + ".kind", $"'{kind}' is not a store kind; " + (NearestName.Of(kind, Kinds) is { } nearest
                    ? $"did you mean \"{nearest}\"? (the kinds are {string.Join(", ", Kinds)})" : "the kinds are " + string.Join(", ", Kinds)));
            var host = reader.String(section, "host", "localhost", Key)!;
            var port = reader.Integer(section, "port", 5432, min: 1, max: 65535, Key);
            var database = reader.String(section, "database", null, Key) ?? throw reader.Invalid(Key + ".database", "is required: the database that holds the BookBatch tables");
            var user = reader.String(section, "userName", null, Key) ?? throw reader.Invalid(Key + ".userName", "is required: the PostgreSQL user the module logs in as");
            var lease = reader.Integer(section, "leaseSeconds", (int)PostgresLibrary.DefaultLease.TotalSeconds, min: 2, max: 3600, Key);
            return new PostgresSettings(host, port, database, user, reader.String(section, "passwordVariable", null, Key), TimeSpan.FromSeconds(lease));
        }
    }
}
