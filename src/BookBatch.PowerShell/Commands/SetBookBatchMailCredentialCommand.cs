using System;
using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Credentials;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>
    /// Stores the password of a mail login for the current user, for the email targets whose <c>server</c> and
    /// <c>userName</c> are these and that name no <c>passwordVariable</c>: DPAPI on Windows, a file only the user may
    /// read elsewhere. The password is never written to the output, a log or an error.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "BookBatchMailCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(StoredMailLogin))]
    public sealed class SetBookBatchMailCredentialCommand : BookBatchCmdlet
    {
        /// <summary>The SMTP server, as the email target's <c>server</c> names it.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>The login: its user name is the target's <c>userName</c>, its password is what is stored.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Credential]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        /// <summary>Writes the stored login (never its password).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var user = Credential.UserName?.TrimStart('\\') ?? string.Empty;
            if (Uri.CheckHostName(Server) == UriHostNameType.Unknown)
            {
                WriteError(Errors.Record(ErrorIds.MailCredentialInvalid, ErrorCategory.InvalidArgument,
                    $"'{Server}' is not a host name or address. Give the SMTP server as the email target's \"server\" names it, such as smtp.example.com.", Server));
                return;
            }
            if (user.Length == 0 || Credential.Password is null || Credential.Password.Length == 0)
            {
                WriteError(Errors.Record(ErrorIds.MailCredentialInvalid, ErrorCategory.InvalidArgument,
                    "The credential needs a user name and a password. Give it as -Credential (Get-Credential <user name>).", Server));
                return;
            }
            var store = MailCredentialStore.ForCurrentUser();
            var path = store.PathOf(Server, user);
            if (!ShouldProcess($"Store the password of '{user}' at {Server} for the current user in '{path}'", $"Store the password of '{user}' at {Server}?", "Set-BookBatchMailCredential"))
                return;
            try
            {
                var login = store.Save(Server, user, Credential.GetNetworkCredential().Password);
                WriteVerbose($"Stored the password of '{login.UserName}' at {login.Server} in '{login.Path}'.");
                if (PassThru) WriteObject(login);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
            {
                WriteError(new ErrorRecord(e, ErrorIds.MailCredentialStoreFailed,
                    e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, path));
            }
        }
    }
}
