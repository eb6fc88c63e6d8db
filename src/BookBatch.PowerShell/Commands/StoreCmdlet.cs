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
            var settings = StoreSettings();
            var (password, source) = Password(settings);
            return PostgresLibrary.Open(settings, password, source);
        }

        /// <summary>The ledger of the workspace's PostgreSQL store, opened as <see cref="OpenSchema"/> opens its schema.</summary>
        protected IPostgresLedger OpenLedger()
        {
            var settings = StoreSettings();
            var (password, source) = Password(settings);
            return PostgresLibrary.OpenLedger(settings, password, source);
        }

        /// <summary>The store section of bookbatch.json; a terminating error when it cannot be read or names no PostgreSQL store.</summary>
        protected PostgresSettings StoreSettings()
        {
            if (_settings != null) return _settings;
            PostgresSettings? settings = null;
            Try(() => settings = PostgresSettings.Load(CurrentWorkspace.SettingsPath), CurrentWorkspace.SettingsPath, terminating: true);
            if (settings == null)
                ThrowTerminatingError(Errors.Record(ErrorIds.BookBatchStoreNotPostgres, ErrorCategory.InvalidOperation,
                    $"The workspace '{CurrentWorkspace.Root}' keeps its books in its own files: its bookbatch.json names no PostgreSQL store. " +
                    "Add a \"store\" section ({\"kind\": \"postgres\", \"host\": ..., \"database\": ..., \"userName\": ...}) and try again.",
                    CurrentWorkspace.SettingsPath));
            return _settings = settings!;
        }

        private PostgresSettings? _settings;

        /// <summary>
        /// ShouldProcess for a change of impact High (one that replaces data) in a cmdlet declared Medium: after
        /// ShouldProcess, asks as a High cmdlet would — unless -Confirm was given either way, or $ConfirmPreference
        /// already made ShouldProcess ask or says never to ask. A session that cannot answer (pwsh -NonInteractive, a
        /// scheduled task) is a terminating BookBatchStoreConfirmationRequired error before anything is changed.
        /// </summary>
        protected bool ShouldProcessReplacing(string target, string action)
        {
            if (!ShouldProcess(target, action)) return false;
            if (MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
            var preference = LanguagePrimitives.TryConvertTo<ConfirmImpact>(SessionState.PSVariable.GetValue("ConfirmPreference"), out var p) ? p : ConfirmImpact.High;
            if (preference == ConfirmImpact.None || preference <= ConfirmImpact.Medium) return true;
            if (!Screen.BatchConfirmation.CanAsk(Host))
                ThrowTerminatingError(Errors.Record(ErrorIds.BookBatchStoreConfirmationRequired, ErrorCategory.PermissionDenied,
                    $"{action} needs your confirmation, and this session cannot ask for it: nothing was changed. " +
                    "Run it again with -Confirm:$false to go ahead without asking.", target));
            return ShouldContinue(action + "?", "Confirm");
        }

        // The password and where it came from (for the messages; never the password itself).
        private (string? Password, string Source) Password(PostgresSettings settings) =>
            settings.Login(Credential is null ? null : new NetworkCredential("", Credential.Password).Password);
    }
}
