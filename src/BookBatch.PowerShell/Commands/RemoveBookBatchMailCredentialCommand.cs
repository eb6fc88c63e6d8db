using System;
using System.IO;
using System.Management.Automation;
using BookBatch.Engine.Credentials;
using BookBatch.Module;

namespace BookBatch.Commands
{
    /// <summary>Removes the stored password of a mail login of the current user (Get-BookBatchMailCredential's output binds to it).</summary>
    [Cmdlet(VerbsCommon.Remove, "BookBatchMailCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    public sealed class RemoveBookBatchMailCredentialCommand : BookBatchCmdlet
    {
        /// <summary>The SMTP server the login is for.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>The login's user name.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string UserName { get; set; } = string.Empty;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var store = MailCredentialStore.ForCurrentUser();
            var path = store.PathOf(Server, UserName);
            if (!File.Exists(path))
            {
                WriteError(Errors.Record(ErrorIds.MailCredentialNotFound, ErrorCategory.ObjectNotFound,
                    $"No password is stored for '{UserName}' at {Server} for this user. Get-BookBatchMailCredential lists those that are.", $"{UserName} at {Server}"));
                return;
            }
            if (!ShouldProcess($"Remove the stored password of '{UserName}' at {Server} ('{path}')", $"Remove the stored password of '{UserName}' at {Server}?", "Remove-BookBatchMailCredential"))
                return;
            try { store.Remove(Server, UserName); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, ErrorIds.MailCredentialStoreFailed,
                    e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, path));
            }
        }
    }
}
