using System.Management.Automation;
using System.Net;
using BookBatch.Engine.Postgres;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>A cmdlet that works on the workspace's PostgreSQL store (the <c>store</c> section of bookbatch.json).</summary>
    public abstract class StoreCmdlet : WorkspaceCmdlet
    {
        /// <summary>
        /// The PostgreSQL login's password (the user name is the one in bookbatch.json). Without it, the environment
        /// variable that store.passwordVariable names, else a pgpass file (PGPASSFILE or ~/.pgpass).
        /// </summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>
        /// The schema of the workspace's PostgreSQL store, or null after a terminating error when bookbatch.json cannot be
        /// read or names no PostgreSQL store. Loads the PostgreSQL support the first time.
        /// </summary>
        protected IPostgresSchema OpenSchema()
        {
            PostgresSettings? settings = null;
            Try(() => settings = PostgresSettings.Load(CurrentWorkspace.SettingsPath), CurrentWorkspace.SettingsPath, terminating: true);
            if (settings == null)
                ThrowTerminatingError(Errors.Record(ErrorIds.BookBatchStoreNotPostgres, ErrorCategory.InvalidOperation,
                    $"The workspace '{CurrentWorkspace.Root}' keeps its books in its own files: its bookbatch.json names no PostgreSQL store. " +
                    "Add a \"store\" section ({\"kind\": \"postgres\", \"host\": ..., \"database\": ..., \"userName\": ...}) and try again.",
                    CurrentWorkspace.SettingsPath));
            var (password, source) = Password(settings!);
            return PostgresLibrary.Open(settings!, password, source);
        }

        // The password and where it came from (for the messages; never the password itself).
        private (string? Password, string Source) Password(PostgresSettings settings)
        {
            if (Credential != null) return (new NetworkCredential("", Credential.Password).Password, "the -Credential parameter");
            if (settings.PasswordFromEnvironment() is { } fromVariable) return (fromVariable, $"the environment variable {settings.PasswordVariable}");
            return (null, "a pgpass file or none (no -Credential" + (settings.PasswordVariable is { } name ? $", ${name} empty)" : ", no store.passwordVariable)"));
        }
    }
}
